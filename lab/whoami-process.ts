import path from 'node:path';
import { repoRoot, whoamiServerEnv, type AuthMode, type LabConfig } from '../core/config.ts';
import { assertPortsFree, urlHost } from '../core/ports.ts';
import { startService } from '../core/process.ts';

export interface StartedWhoamiServer {
  url: string;
  pid: number;
  mode: AuthMode;
  logPath: string;
  stop(): Promise<void>;
}

/**
 * Starts the whoami server `config` describes (its port, URL, mode, issuer) as a child process
 * and waits for its /healthz. It gets only the server's own settings (see whoamiServerEnv).
 */
export async function startWhoamiServer(config: LabConfig, { logPath, readyTimeoutMs = 30_000 }: { logPath: string; readyTimeoutMs?: number }): Promise<StartedWhoamiServer> {
  const { port, mode, host } = config.server;
  await assertPortsFree([{ port, what: 'whoami server', setting: 'WHOAMI_PORT' }]);
  const url = `http://${host === '127.0.0.1' ? 'localhost' : urlHost(host)}:${port}`;
  const { pid, stop } = await startService({
    description: `The whoami server (${mode} mode, ${url})`,
    file: process.execPath,
    args: [path.join(repoRoot, 'server', 'whoami.ts')],
    env: whoamiServerEnv(config),
    logPath,
    ready: `${url}/healthz`,
    readyTimeoutMs,
  });
  return { url, pid, mode, logPath, stop };
}
