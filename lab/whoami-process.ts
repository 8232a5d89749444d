import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, type AuthMode } from './config.ts';
import { LabError } from './errors.ts';
import { stopProcessGroup } from './keycloak/native-keycloak.ts';
import { assertPortsFree } from './ports.ts';
import { waitForHttpOk, WaitAbortedError } from './wait.ts';

export interface StartedWhoamiServer {
  url: string;
  pid: number;
  mode: AuthMode;
  logPath: string;
  stop(): Promise<void>;
}

/** Starts `node server/whoami.ts` as a child process and waits for its /healthz. */
export async function startWhoamiServer({
  port, mode, logPath, env = {}, readyTimeoutMs = 30_000,
}: { port: number; mode: AuthMode; logPath: string; env?: Record<string, string>; readyTimeoutMs?: number }): Promise<StartedWhoamiServer> {
  await assertPortsFree([{ port, what: 'whoami server', setting: 'WHOAMI_PORT' }]);
  mkdirSync(path.dirname(logPath), { recursive: true });
  const log = createWriteStream(logPath);
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, [path.join(repoRoot, 'server', 'whoami.ts')], {
    env: { ...process.env, ...env, WHOAMI_PORT: String(port), WHOAMI_URL: url, AUTH_MODE: mode },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  child.once('exit', () => { exited = true; });
  const stop = () => stopProcessGroup(child, 5_000);
  try {
    await waitForHttpOk(`${url}/healthz`, { timeoutMs: readyTimeoutMs, intervalMs: 200, isAlive: () => !exited });
  } catch (error) {
    await stop();
    const what = error instanceof WaitAbortedError ? 'exited before it was ready' : `not ready after ${readyTimeoutMs / 1000} s`;
    throw new LabError('ERR_SERVER_NOT_READY', `The whoami server (${mode} mode, ${url}) ${what}`, { hint: `see ${logPath}`, cause: error });
  }
  return { url, pid: child.pid!, mode, logPath, stop };
}
