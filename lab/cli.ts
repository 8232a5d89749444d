/**
 * The lab's commands. Each lives in lab/commands/ and is loaded only when asked for.
 *
 *   npm run lab -- up [--detach] [--no-inspector]
 *                                  start Keycloak, provision it, start the whoami server and the
 *                                  MCP Inspector
 *   npm run lab -- down            stop a lab started with --detach
 *   npm run lab -- provision       (re)provision a running Keycloak
 *   npm run lab -- env             write .env (docker compose's settings) from lab/config.ts
 *   npm run lab -- doctor          check a running lab for the classic mistakes
 *   npm run lab -- classroom --students N | --roster FILE [--show-passwords]
 *   npm run lab -- reset           put realm and accounts back, sign everyone out
 *   npm run lab -- teardown        remove the realm
 *   npm run lab -- bench           measure the lab and write BENCHMARKS.md (npm run bench)
 */
import { parseArgs } from 'node:util';
import { LabError } from './errors.ts';
import { runMain } from './main.ts';

const commands: Record<string, { summary: string; run: (flags: Record<string, unknown>) => Promise<number> }> = {
  up: {
    summary: 'start Keycloak, provision it, start the whoami server and the MCP Inspector (--detach: in the background; --no-inspector: without the Inspector)',
    run: async (flags) => (await import('./commands/up.ts')).up({ detach: flags.detach === true, inspector: flags.inspector !== false }),
  },
  down: {
    summary: 'stop a lab started with `up --detach`',
    run: async () => (await import('./commands/down.ts')).down(),
  },
  provision: {
    summary: 'create or repair realm, user and client in a running Keycloak',
    run: async () => (await import('./commands/provision.ts')).provision(),
  },
  env: {
    summary: 'write .env, the settings docker compose reads, from the defaults in lab/config.ts',
    run: async () => (await import('./commands/env.ts')).env(),
  },
  doctor: {
    summary: 'check a running lab: ports, Keycloak ready, issuer, redirect URI, web origin, audience, user',
    run: async () => (await import('./commands/doctor.ts')).doctor(),
  },
  classroom: {
    summary: 'one account per student (--students N or --roster FILE) and a printable handout',
    run: async (flags) => (await import('./commands/classroom.ts')).classroom({
      students: flags.students as string | undefined,
      roster: flags.roster as string | undefined,
      showPasswords: flags['show-passwords'] === true,
    }),
  },
  reset: {
    summary: 'put realm, client and accounts back to their provisioned state and sign everyone out',
    run: async () => (await import('./commands/reset.ts')).reset(),
  },
  teardown: {
    summary: 'remove the realm',
    run: async () => (await import('./commands/teardown.ts')).teardown(),
  },
  bench: {
    summary: 'measure start-up, the test command, whoami latency and a classroom load; writes BENCHMARKS.md',
    run: async (flags) => (await import('./commands/bench.ts')).bench({
      runs: wholeNumber(flags.runs, '--runs', 1),
      students: wholeNumber(flags.students, '--students', 100),
      callsPerStudent: wholeNumber(flags.calls, '--calls', 5),
      concurrency: wholeNumber(flags.concurrency, '--concurrency', 100),
      loadDurationMs: wholeNumber(flags['duration-s'], '--duration-s', 10) * 1000,
      skipTests: flags['skip-tests'] === true,
    }),
  },
};

function wholeNumber(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 10_000) {
    throw new LabError('ERR_USAGE', `${flag} takes a whole number from 1 to 10000, got "${String(value)}"`);
  }
  return number;
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return ['usage: npm run lab -- <command> [options]', ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`)].join('\n');
}

await runMain(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      allowNegative: true,
      options: {
        detach: { type: 'boolean', short: 'd' },
        inspector: { type: 'boolean' },
        students: { type: 'string' },
        roster: { type: 'string' },
        'show-passwords': { type: 'boolean' },
        runs: { type: 'string' },
        calls: { type: 'string' },
        concurrency: { type: 'string' },
        'duration-s': { type: 'string' },
        'skip-tests': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new LabError('ERR_USAGE', (error as Error).message, { hint: 'run `npm run lab -- --help`' });
  }
  const [name = 'up', ...rest] = parsed.positionals;
  if (parsed.values.help) {
    console.log(usage());
    return 0;
  }
  const command = commands[name];
  if (!command || rest.length > 0) {
    throw new LabError('ERR_USAGE', command ? `Unexpected argument "${rest[0]}"` : `Unknown command "${name}"`, { hint: 'run `npm run lab -- --help`' });
  }
  return command.run(parsed.values);
});
