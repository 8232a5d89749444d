/**
 * `npm run conformance` (`lab conformance`): the official MCP conformance suite against the running
 * lab — its whoami server against the scenarios of the revision it speaks, and its Keycloak realm
 * against the authorization-server scenarios — unattended, one line per run. See docs/conformance.md.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { mcpRevisions, type LabConfig, type McpRevision } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { assertPortsFree } from '../../core/ports.ts';
import { StopList } from '../../core/stop-list.ts';
import { connectLongLivedAdminClient } from '../../provisioning/admin-client.ts';
import { readKeycloakServer } from '../../provisioning/keycloak-server.ts';
import { ensureConformanceClient, removeConformanceClient } from '../../provisioning/ensure-conformance-client.ts';
import {
  callbackUri,
  conformanceCallbackPort,
  realmAuthorizationRun,
  whoamiServerRun,
  type WhoamiUnderTest,
} from '../conformance/lab-runs.ts';
import { conformanceResultsDir, runConformance } from '../conformance/run.ts';
import { suiteVersion } from '../conformance/suite.ts';
import { useLocale } from '../../core/messages.ts';

export async function conformance(config: LabConfig): Promise<number> {
  // A maintainer's tool: its output is read beside the suite's own (English) and its baselines, so it speaks English.
  useLocale('en');
  const server = await runningServer(config);
  const callbackPort = conformanceCallbackPort(config);
  await assertPortsFree([{ port: callbackPort, what: "the conformance suite's callback (INSPECTOR_PORT + 6)", setting: 'INSPECTOR_PORT' }]);
  const admin = await connectLongLivedAdminClient({
    baseUrl: config.keycloak.adminUrl,
    username: config.keycloak.adminUsername,
    password: config.keycloak.adminPassword,
  });
  const keycloak = await readKeycloakServer(admin);
  console.log(
    `MCP conformance suite ${suiteVersion}: whoami at ${server.url} (MCP ${server.revision}, ${server.mode} mode), Keycloak ${keycloak.version} realm ${config.realm.name}`,
  );
  const stops = new StopList();
  try {
    // The client lets a password buy a token: it is the runs', and goes with them.
    stops.add(() => removeConformanceClient(admin, config.realm.name));
    await makeConformanceClient(admin, config, { callbackPort, resourceIndicators: keycloak.feature('resource-indicators') === 'enabled' });
    const runs = [
      whoamiServerRun(config, server),
      realmAuthorizationRun(config, {
        callbackPort,
        specVersion: server.revision,
        resource: server.mode === 'spec' ? server.url : undefined,
        keycloakVersion: keycloak.version,
      }),
    ];
    const { ok } = await runConformance(runs, { resultsDir: conformanceResultsDir, print: (line) => console.log(line) });
    if (!ok) console.log('Some runs did not pass: see docs/conformance.md for what each baseline entry means.');
    return ok ? 0 : 1;
  } finally {
    await stops.stopAll();
  }
}

async function makeConformanceClient(
  admin: KeycloakAdminClient,
  config: LabConfig,
  { callbackPort, resourceIndicators }: { callbackPort: number; resourceIndicators: boolean },
): Promise<void> {
  try {
    await ensureConformanceClient(admin, config.realm.name, {
      callbackUri: callbackUri(callbackPort),
      whoamiScope: config.server.whoamiScope,
      resourceIndicators,
    });
  } catch (error) {
    if (error instanceof LabError) throw error;
    const message = `Making the client lab-conformance in realm ${config.realm.name} failed: ${(error as Error).message}`;
    throw new LabError('ERR_PROVISIONING', message, { cause: error });
  }
}

/** The lab's whoami server, as its /healthz describes it (not as this shell's settings guess it). */
async function runningServer(config: LabConfig): Promise<WhoamiUnderTest> {
  const healthz = `${config.server.url}/healthz`;
  let health: { sdk?: unknown; mode?: unknown; revision?: unknown };
  try {
    const response = await fetch(healthz, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    health = (await response.json()) as typeof health;
  } catch (error) {
    throw new LabError('ERR_NOT_RUNNING', `No whoami server answers at ${healthz} (${(error as Error).message})`, {
      hint: 'start the lab first: `npm run lab -- up --detach`',
    });
  }
  if (health.sdk === 'python') {
    throw new LabError('ERR_USAGE', "The conformance baselines are the Node.js servers' (WHOAMI_SDK=node); this lab runs the Python one", {
      hint: 'start the lab with WHOAMI_SDK=node',
    });
  }
  // The tutorial's server (SDK 1.x) says no revision: it speaks 2025-11-25.
  const revision = health.revision ?? '2025-11-25';
  if (!(mcpRevisions as readonly unknown[]).includes(revision) || (health.mode !== 'tutorial' && health.mode !== 'spec')) {
    throw new LabError('ERR_NOT_RUNNING', `${healthz} does not describe a whoami server of the lab: ${JSON.stringify(health)}`);
  }
  return { url: config.server.url, revision: revision as McpRevision, mode: health.mode };
}
