import path from 'node:path';
import { repoRoot, type AuthMode } from './config.ts';
import { startNodeService } from './node-service.ts';
import { assertPortsFree } from './ports.ts';

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
  const url = `http://localhost:${port}`;
  const { pid, stop } = await startNodeService({
    description: `The whoami server (${mode} mode, ${url})`,
    args: [path.join(repoRoot, 'server', 'whoami.ts')],
    env: { ...process.env, ...env, WHOAMI_PORT: String(port), WHOAMI_URL: url, AUTH_MODE: mode },
    logPath,
    healthUrl: `${url}/healthz`,
    readyTimeoutMs,
    errorCode: 'ERR_SERVER_NOT_READY',
  });
  return { url, pid, mode, logPath, stop };
}
