import path from 'node:path';
import { repoRoot, whoamiServerEnv, type AuthMode, type LabConfig, type WhoamiSdk } from '../core/config.ts';
import { t } from '../core/messages.ts';
import { assertPortsFree, urlHost } from '../core/ports.ts';
import { startService } from '../core/process.ts';
import { ensurePythonVenv, pythonServerDir, type PythonVenv } from './python-venv.ts';

export interface StartedWhoamiServer {
  url: string;
  pid: number;
  mode: AuthMode;
  sdk: WhoamiSdk;
  logPath: string;
  stop(): Promise<void>;
}

/**
 * V8's young generation capped for a long-running server: on a machine with gigabytes free, V8
 * otherwise grows it to 2 × 64 MiB, and a burst of requests leaves the server that much larger for
 * good. 8 MiB semi-spaces keep a classroom's load under 150 MiB at full speed (2 MiB ones cost a
 * tenth of the throughput, `--optimize-for-size` half of it: `npm run bench -- --only spec-mode`).
 * docker/whoami-node.Dockerfile starts the server with the same flags.
 */
export const whoamiNodeFlags = ['--max-semi-space-size=8'];

/** uvicorn's wait for open connections (an SSE stream stays open) before it stops anyway. */
const gracefulShutdownSeconds = 3;

/**
 * Starts the whoami server `config` describes (its SDK, port, URL, mode, issuer) as a child process
 * and waits for its /healthz. It gets only the server's own settings (see whoamiServerEnv). The
 * Python server runs in the venv `ensurePythonVenv` made; pass `venv` when it is already known.
 */
export async function startWhoamiServer(
  config: LabConfig,
  { logPath, readyTimeoutMs = 30_000, venv }: { logPath: string; readyTimeoutMs?: number; venv?: PythonVenv },
): Promise<StartedWhoamiServer> {
  const { port, mode, sdk, host } = config.server;
  await assertPortsFree([{ port, what: t('up.port.whoami'), setting: 'WHOAMI_PORT' }]);
  const url = `http://${host === '127.0.0.1' ? 'localhost' : urlHost(host)}:${port}`;
  const command =
    sdk === 'python'
      ? pythonCommand(
          config,
          venv ?? (await ensurePythonVenv(config.cacheDir, { logPath: `${logPath}.pip`, prefetchDir: config.prefetchDir })),
        )
      : { file: process.execPath, args: [...whoamiNodeFlags, nodeServerFile(config)] };
  const { pid, stop } = await startService({
    description: t('up.whoami.description', {
      sdk,
      mode,
      revision: config.server.revision === '2026-07-28' ? 'r2026' : 'tutorial',
      url,
    }),
    ...command,
    env: whoamiServerEnv(config),
    logPath,
    ready: `${url}/healthz`,
    readyTimeoutMs,
  });
  return { url, pid, mode, sdk, logPath, stop };
}

/** The tutorial's server, or today's revision's on the SDK's 2.x packages (MCP_REVISION=2026-07-28). */
export function nodeServerFile(config: LabConfig): string {
  return config.server.revision === '2026-07-28'
    ? path.join(repoRoot, 'server', 'revision-2026', 'whoami.ts')
    : path.join(repoRoot, 'server', 'whoami.ts');
}

/** The tutorial's `uvicorn whoami:app --port 3001`, from the venv, on the lab's address. */
function pythonCommand(config: LabConfig, venv: PythonVenv): { file: string; args: string[]; cwd: string } {
  return {
    file: venv.python,
    args: [
      '-m',
      'uvicorn',
      'whoami:app',
      '--host',
      config.server.host,
      '--port',
      String(config.server.port),
      '--timeout-graceful-shutdown',
      String(gracefulShutdownSeconds),
      '--no-access-log',
    ],
    cwd: pythonServerDir,
  };
}
