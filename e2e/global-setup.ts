/**
 * Once per test run: get a Keycloak (native distribution or testcontainers), provision it, start
 * the whoami server — or, for E2E_TARGET=compose, check that the compose stack answers. Tests read
 * the URLs from process.env (see support/lab.ts). The returned function tears down what was started.
 */
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { config, repoRoot } from '../lab/config.ts';
import { LabError } from '../lab/errors.ts';
import { KeycloakContainer } from '../lab/keycloak/keycloak-container.ts';
import { NativeKeycloak } from '../lab/keycloak/native-keycloak.ts';
import type { StartedKeycloak } from '../lab/keycloak/started-keycloak.ts';
import { formatSeconds } from '../lab/progress.ts';
import { waitForHttpOk } from '../lab/wait.ts';
import { startWhoamiServer } from '../lab/whoami-process.ts';
import { connectAndProvision } from '../provisioning/provision.ts';
import { waitForKeycloak } from '../provisioning/wait-for-keycloak.ts';
import { e2eTarget } from './test-environment.ts';

const logDir = path.join(repoRoot, 'test-results', 'logs');

export default async function globalSetup(_: FullConfig): Promise<() => Promise<void>> {
  const target = e2eTarget();
  if (target === 'compose') return useComposeStack();

  const startedAt = performance.now();
  const keycloak = target === 'testcontainers' ? await startKeycloakContainer() : await startNativeKeycloak();
  console.log(`[global-setup] Keycloak ${keycloak.getVersion()} (${target}) ready at ${keycloak.getUrl()} in ${formatSeconds(performance.now() - startedAt)}`);

  const stops: Array<() => Promise<void>> = [() => keycloak.stop()];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const provisionedAt = performance.now();
    await connectAndProvision();
    console.log(`[global-setup] provisioned in ${formatSeconds(performance.now() - provisionedAt)}`);
    const server = await startWhoamiServer({
      port: config.server.port,
      mode: 'tutorial',
      logPath: path.join(logDir, 'whoami-tutorial.log'),
    });
    stops.push(() => server.stop());
    process.env.E2E_WHOAMI_TUTORIAL_URL = server.url;
    process.env.E2E_KEYCLOAK_VERSION = keycloak.getVersion();
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

function startNativeKeycloak(): Promise<StartedKeycloak> {
  return new NativeKeycloak(config.keycloak.version)
    .withHome(config.keycloak.home)
    .withInstanceName(config.keycloak.instanceName)
    .withPorts(config.keycloak.port, config.keycloak.managementPort)
    .withHostnameUrl(config.keycloak.url)
    .withBootstrapAdmin(config.keycloak.adminUsername, config.keycloak.adminPassword)
    .withDatabase('dev-mem')
    .withStartupTimeoutMs(config.keycloak.readyTimeoutMs)
    .withLogPath(path.join(logDir, 'keycloak.log'))
    .start();
}

function startKeycloakContainer(): Promise<StartedKeycloak> {
  return new KeycloakContainer(config.keycloak.image)
    .withHostPorts(config.keycloak.port, config.keycloak.managementPort)
    .withHostnameUrl(config.keycloak.url)
    .withBootstrapAdmin(config.keycloak.adminUsername, config.keycloak.adminPassword)
    .withStartupTimeoutMs(config.keycloak.readyTimeoutMs)
    .withLogPath(path.join(logDir, 'keycloak.log'))
    .start();
}

/** The stack belongs to whoever ran `docker compose up`; the tests only check that it answers. */
async function useComposeStack(): Promise<() => Promise<void>> {
  const waitMs = 30_000;
  await waitForKeycloak(config.keycloak.url, waitMs);
  try {
    await waitForHttpOk(`${config.server.url}/healthz`, { timeoutMs: waitMs });
  } catch (error) {
    throw new LabError('ERR_SERVER_NOT_READY', `No whoami server answers at ${config.server.url} (waited ${waitMs / 1000} s)`, {
      hint: 'start the stack with `docker compose up -d`, then see `docker compose ps`',
      cause: error,
    });
  }
  console.log(`[global-setup] using the docker compose stack: Keycloak at ${config.keycloak.url}, whoami at ${config.server.url}`);
  process.env.E2E_WHOAMI_TUTORIAL_URL = config.server.url;
  process.env.E2E_KEYCLOAK_VERSION = config.keycloak.version;
  return async () => {};
}
