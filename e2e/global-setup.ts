/**
 * Once per test run: get a Keycloak (native distribution or testcontainers) and provision it, and,
 * while it boots, start the whoami servers sharing that Keycloak — the Node server in tutorial mode
 * on WHOAMI_PORT and in spec mode on the next port, the Python server (tutorial mode) and the
 * 2026-07-28 server (MCP_REVISION, spec mode) on ports of their own (test-ports.ts); or,
 * for E2E_TARGET=compose, check that the compose stack answers and ask it which server it runs. Tests read the URLs
 * from process.env (see support/lab.ts). The returned function tears down what was started.
 */
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { repoRoot, withSettings, type LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { StopList } from '../core/stop-list.ts';
import { waitForHttpOk } from '../core/wait.ts';
import { ensureLocalhostCertificate } from '../lab/cimd/certificate.ts';
import { startDocumentServer } from '../lab/cimd/document-server.ts';
import { formatSeconds } from '../lab/progress.ts';
import { ensurePythonVenv } from '../lab/python-venv.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../lab/whoami-process.ts';
import { connectAdminClient } from '../provisioning/admin-client.ts';
import { connectAndProvision } from '../provisioning/provision.ts';
import { waitForKeycloak } from '../provisioning/wait-for-keycloak.ts';
import { cimdTestDocuments } from './support/cimd-documents.ts';
import { ensureMatrixClients, ensureOtherRealm } from './support/matrix-tokens.ts';
import { startTestKeycloak } from './support/test-keycloak.ts';
import { labWithServerOn, testPorts } from './support/test-ports.ts';
import { e2eTarget, testLabConfig } from './test-target.ts';

const logDir = path.join(repoRoot, 'test-results', 'logs');

export default async function globalSetup(_: FullConfig): Promise<() => Promise<void>> {
  const target = e2eTarget();
  const config = testLabConfig();
  if (target === 'compose') return useComposeStack(config);

  const startedAt = performance.now();
  // The Python server's venv (made once, then reused) while Keycloak boots.
  const pythonVenv = ensurePythonVenv(config.cacheDir, { logPath: path.join(logDir, 'whoami-python-pip.log') });
  pythonVenv.catch(() => {}); // awaited below
  // Keycloak trusts the certificate of the client ID metadata documents from its start.
  const certificate = config.keycloak.features.includes('cimd') ? await ensureLocalhostCertificate(config.cimd.certificateDir) : undefined;
  const stops = new StopList();
  try {
    // The whoami servers start while Keycloak boots: each reaches Keycloak only on its first request.
    const keycloakStarting = stops.adopt(startTestKeycloak(config, { certificate }));
    const serversStarting = Promise.allSettled([
      stops.adopt(
        startWhoamiServer(withSettings(config, { AUTH_MODE: 'tutorial', WHOAMI_SDK: 'node' }), {
          logPath: path.join(logDir, 'whoami-tutorial.log'),
        }),
      ),
      stops.adopt(
        startWhoamiServer(withSettings(labWithServerOn(testPorts.specWhoami, config), { AUTH_MODE: 'spec', WHOAMI_SDK: 'node' }), {
          logPath: path.join(logDir, 'whoami-spec.log'),
        }),
      ),
      stops.adopt(
        startWhoamiServer(
          withSettings(labWithServerOn(testPorts.specRevision2026Whoami, config), {
            AUTH_MODE: 'spec',
            WHOAMI_SDK: 'node',
            MCP_REVISION: '2026-07-28',
          }),
          { logPath: path.join(logDir, 'whoami-2026.log') },
        ),
      ),
      pythonVenv.then((venv) =>
        stops.adopt(
          startWhoamiServer(
            withSettings(labWithServerOn(testPorts.pythonWhoami, config), { AUTH_MODE: 'tutorial', WHOAMI_SDK: 'python' }),
            {
              logPath: path.join(logDir, 'whoami-python.log'),
              venv,
            },
          ),
        ),
      ),
    ]);
    const keycloak = await keycloakStarting.catch(async (error: unknown) => {
      await serversStarting; // so that every server that started is in the stop list
      throw error;
    });
    const features = keycloak.getFeatures().length > 0 ? `, features ${keycloak.getFeatures().join(', ')}` : '';
    console.log(
      `[global-setup] Keycloak ${keycloak.getVersion()} (${target}${features}) ready at ${keycloak.getUrl()} in ${formatSeconds(performance.now() - startedAt)}`,
    );

    const provisionedAt = performance.now();
    const admin = await connectAdminClient({
      baseUrl: config.keycloak.adminUrl,
      username: config.keycloak.adminUsername,
      password: config.keycloak.adminPassword,
    });
    // The failure matrix's second realm needs nothing of the first: made while the first is.
    const otherRealmMade = ensureOtherRealm(admin);
    otherRealmMade.catch(() => {}); // awaited below
    // The audience mapper names the server that checks audiences: the spec-mode one.
    await connectAndProvision(labWithServerOn(testPorts.specWhoami, config));
    console.log(`[global-setup] provisioned in ${formatSeconds(performance.now() - provisionedAt)}`);
    const venv = await pythonVenv;
    console.log(`[global-setup] Python ${venv.pythonVersion} venv ${venv.created ? 'made' : 'reused'} (${venv.dir})`);
    // The failure matrix's test-only clients, and the metadata documents, need the realm.
    const parts = await Promise.allSettled([
      otherRealmMade,
      ensureMatrixClients(
        admin,
        [testPorts.specWhoami, testPorts.outageSpecWhoami, testPorts.specRevision2026Whoami, testPorts.outageRevision2026Whoami].map(
          (port) => labWithServerOn(port).server.resourceUrl,
        ),
      ),
      certificate
        ? stops.adopt(startDocumentServer({ port: config.cimd.port, certificate, documents: cimdTestDocuments(config) }))
        : Promise.resolve(undefined),
    ]);
    const started = await serversStarting;
    const failed = [...started, ...parts].find((part) => part.status === 'rejected');
    if (failed) throw failed.reason;
    const [tutorialServer, specServer, revision2026Server, pythonServer] = started.map(
      (part) => (part as PromiseFulfilledResult<StartedWhoamiServer>).value,
    ) as [StartedWhoamiServer, StartedWhoamiServer, StartedWhoamiServer, StartedWhoamiServer];
    console.log(`[global-setup] servers and test-only clients ready in ${formatSeconds(performance.now() - provisionedAt)}`);
    process.env.E2E_WHOAMI_TUTORIAL_URL = tutorialServer.url;
    process.env.E2E_WHOAMI_TUTORIAL_SDK = tutorialServer.sdk;
    process.env.E2E_WHOAMI_SPEC_URL = specServer.url;
    process.env.E2E_WHOAMI_PYTHON_URL = pythonServer.url;
    process.env.E2E_WHOAMI_2026_URL = revision2026Server.url;
    process.env.E2E_KEYCLOAK_VERSION = keycloak.getVersion();
    process.env.E2E_KEYCLOAK_FEATURES = keycloak.getFeatures().join(',');
  } catch (error) {
    await stops.stopAllAfter(error);
  }
  return () => stops.stopAll();
}

/**
 * The stack belongs to whoever ran `docker compose up`; the tests only check that it answers. It
 * runs one whoami server, in the mode .env gives it (tutorial), of the SDK WHOAMI_SDK gave it.
 */
export async function useComposeStack(config: LabConfig): Promise<() => Promise<void>> {
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
  // Which server the stack runs (WHOAMI_SDK when it was brought up): its /healthz says.
  const health = (await (await fetch(`${config.server.url}/healthz`)).json()) as { sdk?: string };
  const sdk = health.sdk === 'python' ? 'python' : 'node';
  console.log(`[global-setup] using the docker compose stack: Keycloak at ${config.keycloak.url}, whoami (${sdk}) at ${config.server.url}`);
  process.env.E2E_WHOAMI_TUTORIAL_URL = config.server.url;
  process.env.E2E_WHOAMI_TUTORIAL_SDK = sdk;
  process.env.E2E_KEYCLOAK_VERSION = config.keycloak.version;
  return async () => {};
}
