/**
 * The lab's commands, each with the flags it takes (a flag it does not take is an error). Each
 * command lives in lab/commands/ and is loaded only when asked for. `npm run lab -- --help` lists
 * them; `npm run lab -- <command> --help` shows one.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { loadConfig, providerKinds, type LabConfig, type ProviderKind } from '../core/config.ts';
import { withSavedLogtoAppId } from './logto/logto-app-id.ts';
import { LabError } from '../core/errors.ts';
import { maxStudents } from '../provisioning/roster.ts';
import { withClassroomAdminPassword } from './admin-password.ts';
import { readCheckRevision } from './check/revision-flag.ts';
import { runMain } from './main.ts';

type Values = Record<string, string | boolean | undefined>;

interface Command {
  summary: string;
  /** The arguments and flags, as the usage line shows them. */
  usage?: string;
  options?: ParseArgsOptionsConfig;
  /** How many arguments (not flags) it takes at most. */
  maxArguments?: number;
  /** What it works on exists in the Keycloak tab only (a realm, its admin, the compose stack). */
  keycloakOnly?: string;
  run(config: LabConfig, values: Values, args: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  up: {
    summary: 'start Keycloak, provision it, start the whoami server and the MCP Inspector',
    usage: '[--detach] [--no-inspector]',
    options: { detach: { type: 'boolean', short: 'd' }, inspector: { type: 'boolean' } },
    run: async (config, values) =>
      (await import('./commands/up.ts')).up(config, { detach: values.detach === true, inspector: values.inspector !== false }),
  },
  down: {
    summary: 'stop a lab started with `up --detach`',
    run: async (config) => (await import('./commands/down.ts')).down(config),
  },
  provision: {
    keycloakOnly: 'makes the realm in Keycloak',
    summary: 'create or repair realm, user and client in a running Keycloak',
    run: async (config) => (await import('./commands/provision.ts')).provision(config),
  },
  env: {
    summary: 'write .env, the settings docker compose reads, from the defaults in core/config.ts',
    run: async () => (await import('./commands/env.ts')).env(),
  },
  doctor: {
    summary:
      "check a running lab: ports, Keycloak ready (or the tab's authorization server), issuer, redirect URI, web origin, audience, user",
    run: async (config) => (await import('./commands/doctor.ts')).doctor(config),
  },
  check: {
    summary:
      "run the tutorial's checkpoints against a server (a URL, a folder `lab init` made, or else the lab's own whoami server) and say what is wrong; `--revision 2026-07-28`: today's MCP requirements instead",
    usage: '[URL|DIR] [--checkpoint 1|2] [--revision 2025-11-25|2026-07-28] [--user NAME --password PASSWORD] [--json] [--report]',
    options: {
      checkpoint: { type: 'string' },
      revision: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      json: { type: 'boolean' },
      report: { type: 'boolean' },
    },
    maxArguments: 1,
    run: async (config, values, [target]) =>
      (await import('./commands/check.ts')).check(config, {
        target,
        revision: readCheckRevision(values),
        checkpoint: wholeNumber(values.checkpoint ?? '2', '--checkpoint', 1, 2) as 1 | 2,
        username: values.user as string | undefined,
        password: values.password as string | undefined,
        json: values.json === true,
        report: values.report === true,
      }),
  },
  init: {
    summary: 'create the tutorial\'s empty project (its "create" and "install" steps), pinned to the versions the lab tests',
    usage: 'DIR --sdk node|python [--provider keycloak|oidc|oauth]',
    options: { sdk: { type: 'string' }, provider: { type: 'string' } },
    maxArguments: 1,
    run: async (config, values, [dir]) => {
      if (!dir) throw new LabError('ERR_USAGE', 'init needs a folder: npm run lab -- init DIR --sdk node|python');
      if (values.sdk !== 'node' && values.sdk !== 'python')
        throw new LabError(
          'ERR_USAGE',
          `init needs --sdk node or --sdk python, got ${values.sdk === undefined ? 'none' : `"${String(values.sdk)}"`}`,
        );
      // Unless told: the tab the lab plays (LAB_PROVIDER in the environment), Keycloak's by default.
      const provider = values.provider ?? config.provider.kind;
      if (!isProviderKind(provider))
        throw new LabError(
          'ERR_USAGE',
          `init --provider takes ${providerKinds.join(', ')} (the tutorial's tabs), got "${String(provider)}"`,
        );
      return (await import('./commands/init.ts')).init(config, { dir, sdk: values.sdk, provider });
    },
  },
  prefetch: {
    summary: 'gather into DIR what a room without internet needs: Keycloak, the Python and npm packages, the compose images',
    usage: 'DIR [--no-images]',
    options: { images: { type: 'boolean' } },
    maxArguments: 1,
    run: async (config, values, [dir]) => {
      if (!dir) throw new LabError('ERR_USAGE', 'prefetch needs a folder: npm run lab -- prefetch DIR');
      return (await import('./commands/prefetch.ts')).prefetch(config, { dir, images: values.images !== false });
    },
  },
  classroom: {
    keycloakOnly: 'makes Keycloak accounts for a room',
    summary: 'one account per student and a printable handout; `classroom progress`: who has passed which checkpoint',
    usage: `--students N (1–${maxStudents}) | --roster FILE  [--show-passwords]   |   progress`,
    options: { students: { type: 'string' }, roster: { type: 'string' }, 'show-passwords': { type: 'boolean' } },
    maxArguments: 1,
    run: async (config, values, [action]) => {
      if (action !== undefined) {
        if (action !== 'progress') throw new LabError('ERR_USAGE', `Unknown classroom action "${action}" (there is: progress)`);
        if (values.students !== undefined || values.roster !== undefined)
          throw new LabError('ERR_USAGE', 'classroom progress takes no --students or --roster');
        return (await import('./commands/classroom-progress.ts')).classroomProgress(config);
      }
      if ((values.students === undefined) === (values.roster === undefined)) {
        throw new LabError('ERR_USAGE', 'classroom needs exactly one of --students N or --roster FILE');
      }
      return (await import('./commands/classroom.ts')).classroom(config, {
        students: values.students === undefined ? undefined : wholeNumber(values.students, '--students', 1, maxStudents),
        roster: values.roster as string | undefined,
        showPasswords: values['show-passwords'] === true,
      });
    },
  },
  logto: {
    summary: 'build Logto from source once (`logto build`: minutes, needs the npm registry), or print where it is (`logto where`)',
    usage: 'build|where',
    maxArguments: 1,
    run: async (config, _values, [action]) => (await import('./commands/logto.ts')).logto(config, action),
  },
  reset: {
    keycloakOnly: 'resets the accounts of the realm in Keycloak',
    summary: 'put realm, client and accounts back to their provisioned state and sign everyone out',
    run: async (config) => (await import('./commands/reset.ts')).reset(config),
  },
  'admin-password': {
    keycloakOnly: 'shows the password of the Keycloak admin',
    summary: "show the Keycloak admin's password (in a classroom a random one, kept in the state folder)",
    run: async (config) => (await import('./commands/admin-password.ts')).adminPassword(config),
  },
  teardown: {
    keycloakOnly: 'removes the Keycloak realm',
    summary: 'remove the realm',
    run: async (config) => (await import('./commands/teardown.ts')).teardown(config),
  },
  conformance: {
    keycloakOnly: "checks the lab's Keycloak realm and its whoami server",
    summary: "run the official MCP conformance suite against the running lab's whoami server and Keycloak realm (docs/conformance.md)",
    run: async (config) => (await import('./commands/conformance.ts')).conformance(config),
  },
  bench: {
    summary: 'measure start-up, the test command, whoami and its floors, and a classroom load; writes BENCHMARKS.md',
    usage: '[--runs N] [--students N] [--calls N] [--concurrency N] [--duration-s N] [--settle-s N] [--skip-tests] [--only NAME]',
    options: {
      runs: { type: 'string' },
      students: { type: 'string' },
      calls: { type: 'string' },
      concurrency: { type: 'string' },
      'duration-s': { type: 'string' },
      'settle-s': { type: 'string' },
      'skip-tests': { type: 'boolean' },
      only: { type: 'string' },
    },
    run: async (config, values) =>
      (await import('./commands/bench.ts')).bench(config, {
        runs: wholeNumber(values.runs ?? '1', '--runs', 1, 20),
        // Each student logs in in a browser context of their own: bounded by one Chromium's means.
        students: wholeNumber(values.students ?? '100', '--students', 1, maxBenchStudents),
        callsPerStudent: wholeNumber(values.calls ?? '5', '--calls', 1, 100),
        concurrency: wholeNumber(values.concurrency ?? '100', '--concurrency', 1, 1000),
        loadDurationMs: wholeNumber(values['duration-s'] ?? '10', '--duration-s', 1, 120) * 1000,
        settleMs: wholeNumber(values['settle-s'] ?? '60', '--settle-s', 0, 300) * 1000,
        skipTests: values['skip-tests'] === true,
        only: values.only as string | undefined,
      }),
  },
};

/** The bench's classroom: a Chromium context per student, all at once. */
const maxBenchStudents = 200;

function isProviderKind(value: string | boolean): value is ProviderKind {
  return (providerKinds as readonly unknown[]).includes(value);
}

function wholeNumber(value: string | boolean | undefined, flag: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new LabError('ERR_USAGE', `${flag} takes a whole number from ${min} to ${max}, got "${String(value)}"`);
  }
  return number;
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'usage: npm run lab -- <command> [flags]      (no command: up)',
    ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`),
    'Run `npm run lab -- <command> --help` for its flags.',
  ].join('\n');
}

function commandUsage(name: string, command: Command): string {
  return `usage: npm run lab -- ${name}${command.usage ? ` ${command.usage}` : ''}\n  ${command.summary}`;
}

await runMain(async () => {
  const argv = process.argv.slice(2);
  const named = argv[0] !== undefined && !argv[0].startsWith('-');
  const name = named ? argv[0]! : 'up';
  const rest = named ? argv.slice(1) : argv;
  if (!named && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(usage());
    return 0;
  }
  const command = commands[name];
  if (!command) throw new LabError('ERR_USAGE', `Unknown command "${name}"`, { hint: 'run `npm run lab -- --help`' });
  let values: Values;
  let args: string[];
  try {
    ({ values, positionals: args } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowNegative: true,
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    throw new LabError('ERR_USAGE', `${name}: ${(error as Error).message.split('\n')[0]}`, {
      hint: `run \`npm run lab -- ${name} --help\``,
    });
  }
  if (args.length > (command.maxArguments ?? 0)) {
    throw new LabError('ERR_USAGE', `${name}: unexpected argument "${args[command.maxArguments ?? 0]}"`, {
      hint: `run \`npm run lab -- ${name} --help\``,
    });
  }
  if (values.help) {
    console.log(commandUsage(name, command));
    return 0;
  }
  const config = loadConfig(process.env);
  if (command.keycloakOnly && config.provider.kind !== 'keycloak') {
    throw new LabError('ERR_USAGE', `${name} ${command.keycloakOnly}: LAB_PROVIDER=${config.provider.kind} runs no Keycloak`, {
      hint: "`npm run lab -- check` checks a server against the tab's authorization server",
    });
  }
  return command.run(withSavedLogtoAppId(withClassroomAdminPassword(config)), values, args);
});
