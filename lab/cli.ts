/**
 * The lab's commands, each with the flags it takes (a flag it does not take is an error). Each
 * command lives in lab/commands/ and is loaded only when asked for. `npm run lab -- --help` lists
 * them; `npm run lab -- <command> --help` shows one.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { loadConfig, providerKinds, type LabConfig, type ProviderKind } from '../core/config.ts';
import { withSavedLogtoAppId } from './logto/logto-app-id.ts';
import { displayWidth, padEndDisplay } from '../core/display-width.ts';
import { LabError } from '../core/errors.ts';
import { inLocale, t, type MessageKey } from '../core/messages.ts';
import { maxStudents } from '../provisioning/roster.ts';
import { withClassroomAdminPassword } from './admin-password.ts';
import { readCheckRevision } from './check/revision-flag.ts';
import { runMain } from './main.ts';

type Values = Record<string, string | boolean | undefined>;

interface Command {
  /** Its line in `--help`, looked up when printed (the language is chosen at run time). */
  summary: MessageKey;
  /** The arguments and flags, as the usage line shows them. */
  usage?: string;
  options?: ParseArgsOptionsConfig;
  /** How many arguments (not flags) it takes at most. */
  maxArguments?: number;
  /**
   * What it works on exists in the Keycloak tab only (a realm, its admin, the compose stack): the
   * refusal on another tab, with `{command}` and `{provider}`.
   */
  keycloakOnly?: MessageKey;
  run(config: LabConfig, values: Values, args: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  up: {
    summary: 'cli.command.up',
    usage: '[--detach] [--no-inspector]',
    options: { detach: { type: 'boolean', short: 'd' }, inspector: { type: 'boolean' } },
    run: async (config, values) =>
      (await import('./commands/up.ts')).up(config, { detach: values.detach === true, inspector: values.inspector !== false }),
  },
  down: {
    summary: 'cli.command.down',
    run: async (config) => (await import('./commands/down.ts')).down(config),
  },
  provision: {
    keycloakOnly: 'cli.keycloak-only.provision',
    summary: 'cli.command.provision',
    run: async (config) => (await import('./commands/provision.ts')).provision(config),
  },
  env: {
    summary: 'cli.command.env',
    run: async () => (await import('./commands/env.ts')).env(),
  },
  doctor: {
    summary: 'cli.command.doctor',
    run: async (config) => (await import('./commands/doctor.ts')).doctor(config),
  },
  check: {
    summary: 'cli.command.check',
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
    summary: 'cli.command.init',
    usage: 'DIR --sdk node|python [--provider keycloak|oidc|oauth]',
    options: { sdk: { type: 'string' }, provider: { type: 'string' } },
    maxArguments: 1,
    run: async (config, values, [dir]) => {
      if (!dir) throw new LabError('ERR_USAGE', t('cli.init.needs-dir'));
      if (values.sdk !== 'node' && values.sdk !== 'python')
        throw new LabError(
          'ERR_USAGE',
          values.sdk === undefined ? t('cli.init.needs-sdk') : t('cli.init.wrong-sdk', { sdk: String(values.sdk) }),
        );
      // Unless told: the tab the lab plays (LAB_PROVIDER in the environment), Keycloak's by default.
      const provider = values.provider ?? config.provider.kind;
      if (!isProviderKind(provider))
        throw new LabError('ERR_USAGE', t('cli.init.wrong-provider', { providers: providerKinds.join(', '), provider: String(provider) }));
      return (await import('./commands/init.ts')).init(config, { dir, sdk: values.sdk, provider });
    },
  },
  prefetch: {
    summary: 'cli.command.prefetch',
    usage: 'DIR [--no-images]',
    options: { images: { type: 'boolean' } },
    maxArguments: 1,
    run: async (config, values, [dir]) => {
      if (!dir) throw new LabError('ERR_USAGE', t('cli.prefetch.needs-dir'));
      return (await import('./commands/prefetch.ts')).prefetch(config, { dir, images: values.images !== false });
    },
  },
  classroom: {
    keycloakOnly: 'cli.keycloak-only.classroom',
    summary: 'cli.command.classroom',
    usage: `--students N (1–${maxStudents}) | --roster FILE  [--show-passwords]   |   progress`,
    options: { students: { type: 'string' }, roster: { type: 'string' }, 'show-passwords': { type: 'boolean' } },
    maxArguments: 1,
    run: async (config, values, [action]) => {
      if (action !== undefined) {
        if (action !== 'progress') throw new LabError('ERR_USAGE', t('cli.classroom.unknown-action', { action }));
        if (values.students !== undefined || values.roster !== undefined)
          throw new LabError('ERR_USAGE', t('cli.classroom.progress-flags'));
        return (await import('./commands/classroom-progress.ts')).classroomProgress(config);
      }
      if ((values.students === undefined) === (values.roster === undefined)) {
        throw new LabError('ERR_USAGE', t('cli.classroom.one-of'));
      }
      return (await import('./commands/classroom.ts')).classroom(config, {
        students: values.students === undefined ? undefined : wholeNumber(values.students, '--students', 1, maxStudents),
        roster: values.roster as string | undefined,
        showPasswords: values['show-passwords'] === true,
      });
    },
  },
  logto: {
    summary: 'cli.command.logto',
    usage: 'build|where',
    maxArguments: 1,
    run: async (config, _values, [action]) => (await import('./commands/logto.ts')).logto(config, action),
  },
  reset: {
    keycloakOnly: 'cli.keycloak-only.reset',
    summary: 'cli.command.reset',
    run: async (config) => (await import('./commands/reset.ts')).reset(config),
  },
  'admin-password': {
    keycloakOnly: 'cli.keycloak-only.admin-password',
    summary: 'cli.command.admin-password',
    run: async (config) => (await import('./commands/admin-password.ts')).adminPassword(config),
  },
  teardown: {
    keycloakOnly: 'cli.keycloak-only.teardown',
    summary: 'cli.command.teardown',
    run: async (config) => (await import('./commands/teardown.ts')).teardown(config),
  },
  conformance: {
    keycloakOnly: 'cli.keycloak-only.conformance',
    summary: 'cli.command.conformance',
    run: async (config) => (await import('./commands/conformance.ts')).conformance(config),
  },
  bench: {
    summary: 'cli.command.bench',
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
    // Numbers as strings: a placeholder's number would be formatted for the language (1,000).
    throw new LabError('ERR_USAGE', t('cli.usage.whole-number', { flag, min: String(min), max: String(max), value: String(value) }));
  }
  return number;
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => displayWidth(name)));
  return [
    t('cli.usage'),
    ...Object.entries(commands).map(([name, { summary }]) => `  ${padEndDisplay(name, width)}  ${t(summary)}`),
    t('cli.usage.more'),
  ].join('\n');
}

function commandUsage(name: string, command: Command): string {
  return t('cli.usage.command', { command: command.usage ? `${name} ${command.usage}` : name, summary: t(command.summary) });
}

/** How to see a command's flags (or, without one, the commands). */
function helpHint(name?: string): string {
  return t('cli.hint.run', { command: `npm run lab -- ${name ? `${name} ` : ''}--help` });
}

/**
 * parseArgs' refusal, in the learner's language: Node's own line is English, so the refusals that
 * name an option are said again from the option; the English stays Node's line, word for word
 * (a Node whose wording differs gets its own line, in every language).
 */
function flagProblem(name: string, error: Error): string {
  const detail = error.message.split('\n')[0]!;
  const said: Array<[RegExp, MessageKey]> = [
    [/^Unknown option '(.+)'\./, 'cli.usage.unknown-option'],
    [/^Option '(.+) <value>' argument missing$/, 'cli.usage.missing-value'],
    [/^Option '(.+)' does not take an argument$/, 'cli.usage.no-value'],
    [/^Option '(.+)' argument is ambiguous\.$/, 'cli.usage.ambiguous-value'],
  ];
  for (const [pattern, key] of said) {
    const option = pattern.exec(detail)?.[1];
    if (option !== undefined && inLocale('en', key, { command: name, option }) === `${name}: ${detail}`) {
      return t(key, { command: name, option });
    }
  }
  return t('cli.usage.flags', { command: name, detail });
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
  if (!command) throw new LabError('ERR_USAGE', t('cli.usage.unknown-command', { command: name }), { hint: helpHint() });
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
    throw new LabError('ERR_USAGE', flagProblem(name, error as Error), { hint: helpHint(name) });
  }
  if (args.length > (command.maxArguments ?? 0)) {
    throw new LabError('ERR_USAGE', t('cli.usage.unexpected-argument', { command: name, argument: args[command.maxArguments ?? 0]! }), {
      hint: helpHint(name),
    });
  }
  if (values.help) {
    console.log(commandUsage(name, command));
    return 0;
  }
  const config = loadConfig(process.env);
  if (command.keycloakOnly && config.provider.kind !== 'keycloak') {
    throw new LabError('ERR_USAGE', t(command.keycloakOnly, { command: name, provider: config.provider.kind }), {
      hint: t('cli.keycloak-only.hint'),
    });
  }
  return command.run(withSavedLogtoAppId(withClassroomAdminPassword(config)), values, args);
});
