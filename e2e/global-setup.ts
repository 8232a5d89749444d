/**
 * Once per test run: get a Keycloak (native distribution or testcontainers), provision it, start
 * the whoami server in each mode — tutorial on WHOAMI_PORT, spec on the next port — sharing that
 * Keycloak; or, for E2E_TARGET=compose, check that the compose stack answers. Tests read the URLs
 * from process.env (see support/lab.ts). The returned function tears down what was started.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { repoRoot, withSettings, type LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { waitForHttpOk } from '../core/wait.ts';
import { KeycloakContainer } from '../lab/keycloak/keycloak-container.ts';
import { NativeKeycloak } from '../lab/keycloak/native-keycloak.ts';
import type { StartedKeycloak } from '../lab/keycloak/started-keycloak.ts';
import { ensureLocalhostCertificate, type Certificate } from '../lab/cimd/certificate.ts';
import { startDocumentServer } from '../lab/cimd/document-server.ts';
import { formatSeconds } from '../lab/progress.ts';
import { startWhoamiServer } from '../lab/whoami-process.ts';
import { connectAdminClient } from '../provisioning/admin-client.ts';
import { ensureResourceServer } from '../provisioning/ensure-resource-server.ts';
import { readKeycloakServer } from '../provisioning/keycloak-server.ts';
import { connectAndProvision } from '../provisioning/provision.ts';
import { waitForKeycloak } from '../provisioning/wait-for-keycloak.ts';
import { cimdTestDocuments } from './support/cimd-documents.ts';
import { ensureMatrixClients } from './support/matrix-tokens.ts';
import { labWithServerOn, testPorts } from './support/test-ports.ts';
import { e2eTarget, testLabConfig } from './test-target.ts';

const logDir = path.join(repoRoot, 'test-results', 'logs');

export default async function globalSetup(_: FullConfig): Promise<() => Promise<void>> {
  const target = e2eTarget();
  const config = testLabConfig();
  if (target === 'compose') return useComposeStack(config);

  const startedAt = performance.now();
  // Keycloak trusts the certificate of the client ID metadata documents from its start.
  const certificate = config.keycloak.features.includes('cimd') ? await ensureLocalhostCertificate(config.cimd.certificateDir) : undefined;
  const keycloak = target === 'testcontainers' ? await startKeycloakContainer(config) : await startNativeKeycloak(config, certificate);
  const features = keycloak.getFeatures().length > 0 ? `, features ${keycloak.getFeatures().join(', ')}` : '';
  console.log(`[global-setup] Keycloak ${keycloak.getVersion()} (${target}${features}) ready at ${keycloak.getUrl()} in ${formatSeconds(performance.now() - startedAt)}`);

  const stops: Array<() => Promise<void>> = [() => keycloak.stop()];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const provisionedAt = performance.now();
    // The audience mapper names the server that checks audiences: the spec-mode one.
    await connectAndProvision(labWithServerOn(testPorts.specWhoami, config));
    // Test-only clients and a second realm, for the failure matrix's tokens.
    const admin = await connectAdminClient({ baseUrl: config.keycloak.internalUrl, username: config.keycloak.adminUsername, password: config.keycloak.adminPassword });
    await ensureMatrixClients(admin, [testPorts.specWhoami, testPorts.outageSpecWhoami].map((port) => labWithServerOn(port).server.resourceUrl));
    // One realm, two servers: provisioning made the spec-mode one a resource (when Keycloak has
    // resource indicators); the tutorial-mode one, whose resource the clients send too, is added here.
    if ((await readKeycloakServer(admin)).feature('resource-indicators') === 'enabled') {
      await ensureResourceServer(admin, config.realm.name, { clientId: 'whoami-tutorial', resourceUrl: config.server.resourceUrl, audienceOf: [config.client.id] });
    }
    if (certificate) {
      const documents = await startDocumentServer({ port: config.cimd.port, certificate, documents: cimdTestDocuments(config) });
      stops.push(() => documents.stop());
    }
    console.log(`[global-setup] provisioned in ${formatSeconds(performance.now() - provisionedAt)}`);
    const [tutorialServer, specServer] = await Promise.all([
      startWhoamiServer(withSettings(config, { AUTH_MODE: 'tutorial' }), { logPath: path.join(logDir, 'whoami-tutorial.log') }),
      startWhoamiServer(withSettings(labWithServerOn(testPorts.specWhoami, config), { AUTH_MODE: 'spec' }), { logPath: path.join(logDir, 'whoami-spec.log') }),
    ]);
    stops.push(() => tutorialServer.stop(), () => specServer.stop());
    process.env.E2E_WHOAMI_TUTORIAL_URL = tutorialServer.url;
    process.env.E2E_WHOAMI_SPEC_URL = specServer.url;
    process.env.E2E_KEYCLOAK_VERSION = keycloak.getVersion();
    process.env.E2E_KEYCLOAK_FEATURES = keycloak.getFeatures().join(',');
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

function startNativeKeycloak(config: LabConfig, certificate: Certificate | undefined): Promise<StartedKeycloak> {
  return new NativeKeycloak(config.keycloak.version, config.cacheDir)
    .withHome(config.keycloak.home)
    .withInstanceName(config.keycloak.instanceName)
    .withPorts(config.keycloak.port, config.keycloak.managementPort)
    .withHostnameUrl(config.keycloak.url)
    .withBootstrapAdmin(config.keycloak.adminUsername, config.keycloak.adminPassword)
    .withDatabase('dev-mem')
    .withFeatures([...config.keycloak.features])
    .withTruststorePaths(certificate ? [certificate.certPath] : [])
    .withHostsFile(localhostOnlyHostsFile(config.cacheDir))
    .withStartupTimeoutMs(config.keycloak.readyTimeoutMs)
    .withLogPath(path.join(logDir, 'keycloak.log'))
    .start();
}

/**
 * A hosts file that knows only localhost, for Keycloak's resolver: the registration policies
 * resolve their trusted host names (github.com, for the Inspector's client URI), and no query may
 * leave this machine.
 */
function localhostOnlyHostsFile(cacheDir: string): string {
  const file = path.join(cacheDir, 'keycloak-hosts-localhost-only');
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, '127.0.0.1 localhost\n');
  return file;
}

function startKeycloakContainer(config: LabConfig): Promise<StartedKeycloak> {
  return new KeycloakContainer(config.keycloak.image)
    .withHostPorts(config.keycloak.port, config.keycloak.managementPort)
    .withHostnameUrl(config.keycloak.url)
    .withBootstrapAdmin(config.keycloak.adminUsername, config.keycloak.adminPassword)
    .withFeatures(config.keycloak.features.filter((feature) => feature !== 'cimd'))
    .withStartupTimeoutMs(config.keycloak.readyTimeoutMs)
    .withLogPath(path.join(logDir, 'keycloak.log'))
    .start();
}

/**
 * The stack belongs to whoever ran `docker compose up`; the tests only check that it answers. It
 * runs one whoami server, in the mode .env gives it (tutorial).
 */
async function useComposeStack(config: LabConfig): Promise<() => Promise<void>> {
  const waitMs = 30_000;
  await waitForKeycloak(config.keycloak.url, waitMs);
  try {
    await waitForHttpOk(`${config.server.url}/healthz`, { timeoutMs: waitMs });
  } catch (error) {
    throw new LabError('ERR_PROCESS_NOT_READY', `No whoami server answers at ${config.server.url} (waited ${waitMs / 1000} s)`, {
      hint: 'start the stack with `docker compose up -d`, then see `docker compose ps`',
      cause: error,
    });
  }
  console.log(`[global-setup] using the docker compose stack: Keycloak at ${config.keycloak.url}, whoami at ${config.server.url}`);
  process.env.E2E_WHOAMI_TUTORIAL_URL = config.server.url;
  process.env.E2E_KEYCLOAK_VERSION = config.keycloak.version;
  return async () => {};
}
