import { repoRoot } from '../../core/config.ts';
import { runCommand, type CommandResult } from '../../core/process.ts';

let composeCli: Promise<string[]> | undefined;

/** `docker compose` (v2+) where the machine has it, else `docker-compose` (1.29); both read the same file. */
function findComposeCli(): Promise<string[]> {
  composeCli ??= runCommand('docker', ['compose', 'version']).then(({ exitCode }) =>
    exitCode === 0 ? ['docker', 'compose'] : ['docker-compose'],
  );
  return composeCli;
}

/**
 * Runs a compose command against the lab's stack, in the repository (where docker-compose.yml
 * and .env are). The project is the one COMPOSE_PROJECT_NAME names, as for the user's own
 * `docker compose` commands; `env` sets variables on top (another project, a classroom's settings).
 */
export async function compose(args: string[], timeoutMs = 60_000, env: Record<string, string> = {}): Promise<CommandResult> {
  const [command, ...prefix] = await findComposeCli();
  return runCommand(command!, [...prefix, ...args], { cwd: repoRoot, timeoutMs, env });
}

/** A `node -e` script that prints the value of `expression` (awaited) as JSON, for the helpers below. */
export const printJson = (expression: string) =>
  `Promise.resolve().then(async () => ${expression}).then((value) => process.stdout.write(JSON.stringify(value)))`;

/** Runs a Node script in a fresh container of `service`, and parses what it prints as JSON. */
export async function nodeInService<T>(service: string, script: string, env: Record<string, string> = {}): Promise<T> {
  const envArgs = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const result = await compose(['run', '--rm', '--no-deps', '-T', ...envArgs, service, 'node', '-e', script]);
  if (result.exitCode !== 0) throw new Error(`node in a ${service} container exited with ${result.exitCode}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * Runs a Node script in the running container of `service` (`compose exec`), and parses what it
 * prints as JSON; `env` as for `compose` (another project).
 */
export async function nodeInRunningService<T>(service: string, script: string, env: Record<string, string> = {}): Promise<T> {
  const result = await compose(['exec', '-T', service, 'node', '-e', script], 60_000, env);
  if (result.exitCode !== 0) throw new Error(`node in the ${service} container exited with ${result.exitCode}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}
