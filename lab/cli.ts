/**
 * The lab's commands. Each lives in lab/commands/ and is loaded only when asked for.
 *
 *   npm run lab -- up [--detach]   start Keycloak, provision it, start the whoami server
 *   npm run lab -- down            stop a lab started with --detach
 *   npm run lab -- provision       (re)provision a running Keycloak
 *   npm run lab -- env             write .env (docker compose's settings) from lab/config.ts
 */
import { parseArgs } from 'node:util';
import { LabError } from './errors.ts';
import { runMain } from './main.ts';

const commands: Record<string, { summary: string; run: (flags: Record<string, unknown>) => Promise<number> }> = {
  up: {
    summary: 'start Keycloak, provision it and start the whoami server (--detach: in the background)',
    run: async (flags) => (await import('./commands/up.ts')).up({ detach: flags.detach === true }),
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
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return ['usage: npm run lab -- <command> [options]', ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`)].join('\n');
}

await runMain(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { detach: { type: 'boolean', short: 'd' }, help: { type: 'boolean', short: 'h' } },
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
