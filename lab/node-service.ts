import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { LabError, type LabErrorCode } from './errors.ts';
import { stopProcessGroup } from './process-group.ts';
import { waitForHttpOk, WaitAbortedError } from './wait.ts';

export interface StartedNodeService {
  pid: number;
  /** SIGTERM to its process group; SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * Runs a Node script as a child in its own process group, its output in `logPath`, and waits until
 * `healthUrl` answers 2xx. A service that exits or never gets ready is stopped and reported as one
 * line naming `description` and the log.
 */
export async function startNodeService({ description, args, env, logPath, healthUrl, readyTimeoutMs, errorCode }: {
  description: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logPath: string;
  healthUrl: string;
  readyTimeoutMs: number;
  errorCode: LabErrorCode;
}): Promise<StartedNodeService> {
  mkdirSync(path.dirname(logPath), { recursive: true });
  const log = createWriteStream(logPath);
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  child.once('exit', () => { exited = true; });
  const stop = () => stopProcessGroup(child, 5_000);
  try {
    await waitForHttpOk(healthUrl, { timeoutMs: readyTimeoutMs, intervalMs: 200, isAlive: () => !exited });
  } catch (error) {
    await stop();
    const what = error instanceof WaitAbortedError ? 'exited before it was ready' : `not ready after ${readyTimeoutMs / 1000} s`;
    throw new LabError(errorCode, `${description} ${what}`, { hint: `see ${logPath}`, cause: error });
  }
  return { pid: child.pid!, stop };
}
