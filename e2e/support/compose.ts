import { execFile } from 'node:child_process';
import { repoRoot } from '../../lab/config.ts';
import type { CommandResult } from './run-command.ts';

let composeCli: Promise<string[]> | undefined;

/** `docker compose` (v2) where the machine has it, else `docker-compose` (1.29); both read the same file. */
function findComposeCli(): Promise<string[]> {
  composeCli ??= new Promise((resolve) => {
    execFile('docker', ['compose', 'version'], (error) => resolve(error ? ['docker-compose'] : ['docker', 'compose']));
  });
  return composeCli;
}

/**
 * Runs a compose command against the lab's stack, in the repository (where docker-compose.yml
 * and .env are). The project is the one COMPOSE_PROJECT_NAME names, as for the user's own
 * `docker compose` commands.
 */
export async function compose(args: string[], timeoutMs = 60_000): Promise<CommandResult> {
  const [command, ...prefix] = await findComposeCli();
  return new Promise((resolve) => {
    execFile(command!, [...prefix, ...args], { cwd: repoRoot, timeout: timeoutMs, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** Runs a Node script in a fresh container of `service`, and parses what it prints as JSON. */
export async function nodeInService<T>(service: string, script: string, env: Record<string, string> = {}): Promise<T> {
  const envArgs = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const result = await compose(['run', '--rm', '--no-deps', '-T', ...envArgs, service, 'node', '-e', script]);
  if (result.exitCode !== 0) throw new Error(`node in a ${service} container exited with ${result.exitCode}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}

/** Runs a Node script in the running container of `service` (`compose exec`), and parses what it prints as JSON. */
export async function nodeInRunningService<T>(service: string, script: string): Promise<T> {
  const result = await compose(['exec', '-T', service, 'node', '-e', script]);
  if (result.exitCode !== 0) throw new Error(`node in the ${service} container exited with ${result.exitCode}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}
