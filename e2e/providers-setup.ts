/**
 * Once per run of the providers tier: for each of the tutorial's "OIDC" and "OAuth 2" tabs, the
 * lab's own authorization server (lab/providers/, no Keycloak), then a Node and a Python whoami
 * server against it, each on a port of the tier's (support/test-ports.ts). The specs read the
 * servers' URLs from process.env (support/provider-labs.ts). The returned function stops them all.
 *
 *   oidc   :8181  ◄── whoami Node :3241, Python :3242
 *   oauth  :8182  ◄── whoami Node :3243, Python :3244
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { repoRoot, withSettings } from '../core/config.ts';
import { StopList } from '../core/stop-list.ts';
import { formatSeconds } from '../lab/progress.ts';
import { startAuthServerProcess } from '../lab/providers/provider-process.ts';
import { ensurePythonVenv } from '../lab/python-venv.ts';
import { startWhoamiServer } from '../lab/whoami-process.ts';
import {
  authServerKinds,
  preRegisteredRedirectUris,
  providerLab,
  providerUsers,
  whoamiPorts,
  whoamiSdks,
  whoamiUrlVariable,
} from './support/provider-labs.ts';
import { labWithServerOn } from './support/test-ports.ts';

/** Logs and the authorization servers' state (registered clients): fresh for each run. */
const runDir = path.join(repoRoot, 'test-results', 'providers-servers');

export default async function providersSetup(_: FullConfig): Promise<() => Promise<void>> {
  const startedAt = performance.now();
  rmSync(runDir, { recursive: true, force: true });
  const logDir = path.join(runDir, 'logs');
  const stops = new StopList();
  try {
    // The Python server's venv (made once, then reused) while the authorization servers start.
    const pythonVenv = ensurePythonVenv(providerLab('oidc').cacheDir, { logPath: path.join(logDir, 'whoami-python-pip.log') });
    pythonVenv.catch(() => {}); // awaited below
    const authServers = await Promise.allSettled(
      authServerKinds.map((kind) => {
        const config = providerLab(kind);
        return stops.adopt(
          startAuthServerProcess({
            kind,
            issuer: config.provider.issuer,
            port: config.provider.port!,
            users: Object.values(providerUsers),
            inspectorOrigins: [config.client.inspectorWebOrigin],
            clientId: config.provider.clientId,
            redirectUris: preRegisteredRedirectUris(config),
            stateDir: path.join(runDir, 'state'),
            logPath: path.join(logDir, `${kind}-auth-server.log`),
          }),
        );
      }),
    );
    throwFirstFailure(authServers);
    console.log(`[providers-setup] authorization servers ready in ${formatSeconds(performance.now() - startedAt)}`);

    const venv = await pythonVenv;
    const servers = authServerKinds.flatMap((kind) => whoamiSdks.map((sdk) => ({ kind, sdk })));
    const started = await Promise.allSettled(
      servers.map(({ kind, sdk }) =>
        stops.adopt(
          startWhoamiServer(withSettings(labWithServerOn(whoamiPorts[kind][sdk], providerLab(kind)), { WHOAMI_SDK: sdk }), {
            logPath: path.join(logDir, `whoami-${kind}-${sdk}.log`),
            venv,
          }),
        ),
      ),
    );
    throwFirstFailure(started);
    servers.forEach(({ kind, sdk }, index) => {
      process.env[whoamiUrlVariable(kind, sdk)] = (started[index] as PromiseFulfilledResult<{ url: string }>).value.url;
    });
    console.log(
      `[providers-setup] ${servers.length} whoami servers ready in ${formatSeconds(performance.now() - startedAt)} (logs: ${path.relative(repoRoot, logDir)})`,
    );
  } catch (error) {
    await stops.stopAllAfter(error);
  }
  return () => stops.stopAll();
}

/** Every start is awaited (and its stop registered) before the first failure is thrown. */
function throwFirstFailure(results: PromiseSettledResult<unknown>[]): void {
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
