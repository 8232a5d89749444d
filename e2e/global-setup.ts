/**
 * Once per test run: start one Keycloak, provision it, start the whoami server in each mode —
 * tutorial on WHOAMI_PORT, spec on the next port — sharing that Keycloak. Tests read the URLs from
 * process.env (see support/lab.ts). The returned function tears it all down.
 */
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { config } from '../lab/config.ts';
import { NativeKeycloak } from '../lab/keycloak/native-keycloak.ts';
import { formatSeconds } from '../lab/progress.ts';
import { startWhoamiServer } from '../lab/whoami-process.ts';
import { repoRoot } from '../lab/config.ts';
import { connectAdminClient } from '../provisioning/admin-client.ts';
import { connectAndProvision } from '../provisioning/provision.ts';
import { ensureMatrixClients } from './support/matrix-tokens.ts';
import { labWithServerOn, testPorts } from './support/test-ports.ts';

export default async function globalSetup(_: FullConfig): Promise<() => Promise<void>> {
  const logDir = path.join(repoRoot, 'test-results', 'logs');
  const startedAt = performance.now();
  const keycloak = await new NativeKeycloak(config.keycloak.version)
    .withHome(config.keycloak.home)
    .withInstanceName(config.keycloak.instanceName)
    .withPorts(config.keycloak.port, config.keycloak.managementPort)
    .withHostnameUrl(config.keycloak.url)
    .withBootstrapAdmin(config.keycloak.adminUsername, config.keycloak.adminPassword)
    .withDatabase('dev-mem')
    .withStartupTimeoutMs(config.keycloak.readyTimeoutMs)
    .withLogPath(path.join(logDir, 'keycloak.log'))
    .start();
  console.log(`[global-setup] Keycloak ${keycloak.getVersion()} ready at ${keycloak.getUrl()} in ${formatSeconds(performance.now() - startedAt)}`);

  const stops: Array<() => Promise<void>> = [() => keycloak.stop()];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const provisionedAt = performance.now();
    // The audience mapper names the server that checks audiences: the spec-mode one.
    await connectAndProvision(labWithServerOn(testPorts.specWhoami));
    // Test-only clients and a second realm, for the failure matrix's tokens.
    const admin = await connectAdminClient({ baseUrl: config.keycloak.internalUrl, username: config.keycloak.adminUsername, password: config.keycloak.adminPassword });
    await ensureMatrixClients(admin, [testPorts.specWhoami, testPorts.outageSpecWhoami].map((port) => labWithServerOn(port).server.resourceUrl));
    console.log(`[global-setup] provisioned in ${formatSeconds(performance.now() - provisionedAt)}`);
    const [tutorialServer, specServer] = await Promise.all([
      startWhoamiServer({ port: config.server.port, mode: 'tutorial', logPath: path.join(logDir, 'whoami-tutorial.log') }),
      startWhoamiServer({ port: testPorts.specWhoami, mode: 'spec', logPath: path.join(logDir, 'whoami-spec.log') }),
    ]);
    stops.push(() => tutorialServer.stop(), () => specServer.stop());
    process.env.E2E_WHOAMI_TUTORIAL_URL = tutorialServer.url;
    process.env.E2E_WHOAMI_SPEC_URL = specServer.url;
    process.env.E2E_KEYCLOAK_VERSION = keycloak.getVersion();
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
