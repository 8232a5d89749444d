/**
 * `lab up`'s start: Keycloak boots in the background (it takes the longest, and nothing else needs
 * it to start: the server reaches it on the first request), or for the OIDC and OAuth 2 tabs the
 * lab's own authorization server starts (well under a second), or for the Logto tab Logto (built
 * once, then its PostgreSQL, then Logto booting in the background), while the steps below start the
 * other parts one after the other; then Keycloak (or Logto) is awaited and provisioned. Each step prints one line
 * (progress.ts), skips itself when this lab does not have its part, and registers the part's stop
 * in the lab's stop list as soon as the part has started. A new part is one function and one line
 * in `startSteps`.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type LabConfig, withSettings } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import type { StopList } from '../../core/stop-list.ts';
import { ensureLocalhostCertificate, type Certificate } from '../cimd/certificate.ts';
import { inspectorClientDocument } from '../cimd/client-documents.ts';
import { startDocumentServer } from '../cimd/document-server.ts';
import { startProgressServer } from '../classroom/progress-server.ts';
import { startInspector } from '../inspector-process.ts';
import { labInspectorClientSettings, labInspectorServers } from '../inspector-catalog.ts';
import { startKeycloakGate } from '../keycloak/keycloak-gate.ts';
import { nativeKeycloakFor, type StartedNativeKeycloak } from '../keycloak/native-keycloak.ts';
import { step } from '../progress.ts';
import { ensurePythonVenv, type PythonVenv } from '../python-venv.ts';
import { sdkNames } from '../summary.ts';
import { startWhoamiServer } from '../whoami-process.ts';
import { labUser } from '../providers/lab-users.ts';
import { startAuthServerProcess } from '../providers/provider-process.ts';
import type { Change } from '../../provisioning/change.ts';
import { connectAndProvision } from '../../provisioning/provision.ts';
import { provisionLogto } from '../../provisioning/logto-provision.ts';
import { ensureLogtoBuild, type LogtoBuild } from '../logto/logto-build.ts';
import { startLogtoDatabase, type StartedLogtoDatabase } from '../logto/logto-postgres.ts';
import { seedLogto, startLogto } from '../logto/logto-process.ts';
import { saveLogtoAppId } from '../logto/logto-app-id.ts';

/** What the steps share: the settings, where stops go, and what earlier steps made. */
export interface LabStart {
  /** The Logto tab's gains the App ID Logto chose once provisioning has made the application. */
  config: LabConfig;
  readonly withInspector: boolean;
  readonly stops: StopList;
  /** Ctrl-C or `lab down`: Keycloak stops booting, and provisioning is left out. */
  readonly stopRequested: AbortSignal;
  /** The Keycloak tab's Keycloak; the other tabs have none. */
  readonly keycloak: BootingKeycloak | undefined;
  /** The Python server's venv (WHOAMI_SDK=python). */
  venv?: PythonVenv;
  /** The URL that opens the Inspector with its API token (unless `--no-inspector`). */
  inspectorOpenUrl?: string;
  /** The Logto tab: its build in the cache, its database, and Logto booting. */
  logto?: { build: LogtoBuild; database?: StartedLogtoDatabase; started?: Promise<unknown>; startedAt?: number };
}

interface BootingKeycloak {
  readonly started: Promise<StartedNativeKeycloak>;
  readonly startedAt: number;
  /** The cimd profile's certificate: Keycloak trusts it from its start, the document server serves with it. */
  readonly certificate: Certificate | undefined;
}

type StartStep = (lab: LabStart) => Promise<void>;

/** In this order, while Keycloak boots. */
const startSteps: readonly StartStep[] = [
  preparePythonPackages,
  startGateToKeycloak,
  startAuthServer,
  buildLogto,
  startLogtoPostgres,
  bootLogtoInBackground,
  startWhoami,
  startProgressPage,
  awaitLogtoAndProvision,
  serveInspectorClientDocument,
  startMcpInspector,
  awaitKeycloak,
  provisionRealm,
];

/** Starts the lab; every part started is in `stops`, also when a step fails or is interrupted. */
export async function startLab(
  config: LabConfig,
  options: { withInspector: boolean; stops: StopList; stopRequested: AbortSignal },
): Promise<LabStart> {
  const keycloak = config.provider.kind === 'keycloak' ? await bootKeycloakInBackground(config, options) : undefined;
  const lab: LabStart = { config, ...options, keycloak };
  for (const startStep of startSteps) await startStep(lab);
  return lab;
}

async function bootKeycloakInBackground(
  config: LabConfig,
  { stops, stopRequested }: { stops: StopList; stopRequested: AbortSignal },
): Promise<BootingKeycloak> {
  const startedAt = performance.now();
  // The cimd profile: Keycloak fetches the Inspector's metadata document over HTTPS, with a
  // certificate of the lab's own that it trusts from its start.
  const certificate = config.client.registration === 'cimd' ? await ensureLocalhostCertificate(config.cimd.certificateDir) : undefined;
  // Aborted by Ctrl-C, and by a failure elsewhere (the stop list): either way Keycloak stops booting.
  const started = stops.startInBackground((stopping) =>
    nativeKeycloakFor(config)
      .withTruststorePaths(certificate ? [certificate.certPath] : [])
      .withLogPath(path.join(config.stateDir, 'keycloak.log'))
      .start({ signal: AbortSignal.any([stopping, stopRequested]) }),
  );
  return { started, startedAt, certificate };
}

/** The Python server's packages: installed once into a venv in the cache, then reused. */
async function preparePythonPackages(lab: LabStart): Promise<void> {
  const { config } = lab;
  if (config.server.sdk !== 'python') return;
  lab.venv = await step(
    t('up.step.python.running'),
    () =>
      ensurePythonVenv(config.cacheDir, {
        logPath: path.join(config.stateDir, 'whoami-pip.log'),
        prefetchDir: config.prefetchDir,
      }),
    (made) => t('up.step.python.done', { version: made.pythonVersion, state: made.created ? 'made' : 'reused', dir: made.dir }),
  );
}

/** A classroom's nginx in front of Keycloak: students reach the realm's pages only. */
async function startGateToKeycloak({ config, stops }: LabStart): Promise<void> {
  const gate = config.keycloak.gate;
  if (!gate) return;
  await step(
    t('up.step.gate.running'),
    () => stops.adopt(startKeycloakGate({ ...gate, dir: path.join(config.stateDir, 'keycloak-gate') })),
    (started) => t('up.step.gate.done', { url: started.url }),
  );
}

/** The OIDC or OAuth 2 tab: the lab's own authorization server (oidc-provider), with the test user. */
async function startAuthServer({ config, stops }: LabStart): Promise<void> {
  const { provider } = config;
  if (provider.kind === 'keycloak' || provider.kind === 'logto' || provider.port === undefined) return;
  const { kind, port, issuer, clientId } = provider;
  await step(
    t('up.step.auth-server.running', { kind }),
    () =>
      stops.adopt(
        startAuthServerProcess({
          kind,
          issuer,
          port,
          users: [labUser(config.user)],
          inspectorOrigins: [config.client.inspectorWebOrigin],
          clientId,
          redirectUris: [...config.client.redirectUris],
          stateDir: config.stateDir,
          logPath: path.join(config.stateDir, `${kind}-provider.log`),
        }),
      ),
    () => t('up.step.auth-server.done', { kind, url: issuer }),
  );
}

/** The Logto tab: Logto built from its source once (minutes, the first time only), then reused. */
async function buildLogto(lab: LabStart): Promise<void> {
  const { config, stopRequested } = lab;
  if (config.provider.kind !== 'logto') return;
  const build = await ensureLogtoBuild(config, {
    signal: stopRequested,
    logPath: path.join(config.stateDir, 'logto-build.log'),
    onProgress: (line) => console.log(line),
  });
  lab.logto = { build };
}

/** Logto's PostgreSQL on loopback (made the first time), and Logto's tables seeded once. */
async function startLogtoPostgres(lab: LabStart): Promise<void> {
  const { config, stops, stopRequested, logto } = lab;
  if (!logto) return;
  const database = await step(
    t('up.step.logto-postgres.running'),
    async () => {
      const started = await stops.adopt(
        startLogtoDatabase(config, {
          logPath: path.join(config.stateDir, 'logto-postgres.log'),
          signal: stopRequested,
          buildKey: logto.build.key,
        }),
      );
      await seedLogto(config, logto.build, { dbUrl: started.dbUrl, logPath: path.join(config.stateDir, 'logto-seed.log') });
      return started;
    },
    () => t('up.step.logto-postgres.done', { port: String(config.logto.dbPort) }),
  );
  logto.database = database;
}

/** Logto takes a few seconds to answer; the whoami server and the progress page start meanwhile. */
async function bootLogtoInBackground({ config, stops, stopRequested, logto }: LabStart): Promise<void> {
  if (!logto?.database) return;
  const { dbUrl } = logto.database;
  logto.startedAt = performance.now();
  logto.started = stops.startInBackground((stopping) =>
    startLogto(config, logto.build, {
      dbUrl,
      logPath: path.join(config.stateDir, 'logto.log'),
      signal: AbortSignal.any([stopping, stopRequested]),
    }),
  );
}

/**
 * What the tab has the learner click in Logto's Console, made through its Management API: the
 * Single-page application (its App ID is Logto's choice, so the Inspector starts after this), the
 * test user, and in spec mode the API resource with its permission and a role that grants it.
 */
async function awaitLogtoAndProvision(lab: LabStart): Promise<void> {
  const { logto, stopRequested } = lab;
  if (!logto?.started || !logto.database || stopRequested.aborted) return;
  const { config } = lab;
  await step(
    t('up.step.logto.running', { version: logto.build.version }),
    () => logto.started!,
    () => t('up.step.logto.done', { version: logto.build.version, url: config.logto.url, console: config.logto.consoleUrl }),
    logto.startedAt,
  );
  const { appId } = await step(
    t('up.step.logto-provision.running'),
    () => provisionLogto(config, { dbUrl: logto.database!.dbUrl }),
    ({ changes }) => t('up.step.logto-provision.done', { changes: describeChanges(changes) }),
  );
  saveLogtoAppId(config, appId);
  lab.config = withSettings(config, { LOGTO_APP_ID: appId });
}

async function startWhoami({ config, stops, venv }: LabStart): Promise<void> {
  await step(
    t('up.step.whoami.running'),
    () =>
      stops.adopt(
        startWhoamiServer(config, {
          logPath: path.join(config.stateDir, 'whoami.log'),
          venv,
        }),
      ),
    (started) => t('up.step.whoami.done', { sdk: sdkNames[started.sdk], url: started.url, mode: started.mode }),
  );
}

async function startProgressPage({ config, stops }: LabStart): Promise<void> {
  await step(
    t('up.step.progress.running'),
    () => stops.adopt(startProgressServer(config)),
    (started) => t('up.step.progress.done', { url: started.url }),
  );
}

/** The cimd profile: the Inspector's client ID is the URL of this document. */
async function serveInspectorClientDocument({ config, stops, keycloak }: LabStart): Promise<void> {
  const certificate = keycloak?.certificate;
  if (!certificate) return;
  await step(
    t('up.step.cimd.running'),
    () =>
      stops.adopt(
        startDocumentServer({
          port: config.cimd.port,
          certificate,
          documents: [inspectorClientDocument(config)],
        }),
      ),
    () => t('up.step.cimd.done', { url: config.cimd.inspectorDocumentUrl }),
  );
}

async function startMcpInspector(lab: LabStart): Promise<void> {
  const { config, stops } = lab;
  if (!lab.withInspector) return;
  const inspector = await step(
    t('up.step.inspector.running', { version: config.inspector.version }),
    () =>
      stops.adopt(
        startInspector({
          port: config.inspector.port,
          sandboxPort: config.inspector.sandboxPort,
          appOriginPort: config.inspector.appOriginPort,
          apiToken: config.inspector.apiToken ?? randomBytes(16).toString('hex'),
          homeDir: path.join(config.stateDir, 'inspector-home'),
          servers: labInspectorServers(config),
          clientSettings: labInspectorClientSettings(config),
          logPath: path.join(config.stateDir, 'inspector.log'),
          readyTimeoutMs: config.inspector.readyTimeoutMs,
        }),
      ),
    (started) => t('up.step.inspector.done', { url: started.url }),
  );
  lab.inspectorOpenUrl = inspector.openUrl;
}

/** Its line's time counts from when it began booting, not from when the other parts were done. */
async function awaitKeycloak({ config, keycloak }: LabStart): Promise<void> {
  if (!keycloak) return;
  await step(
    t('up.step.keycloak.running', { version: config.keycloak.version }),
    () => keycloak.started,
    (started) =>
      t('up.step.keycloak.done', {
        version: started.getVersion(),
        url: started.getUrl(),
        java: String(started.java.majorVersion),
        // No home: the `java` on PATH, said in the learner's language.
        source: started.java.home === undefined ? t('up.java.on-path') : started.java.source,
      }),
    keycloak.startedAt,
  );
}

async function provisionRealm({ config, keycloak, stopRequested }: LabStart): Promise<void> {
  if (!keycloak || stopRequested.aborted) return;
  await step(
    t('up.step.realm.running', { realm: config.realm.name }),
    () => connectAndProvision(config),
    (changes) => t('up.step.realm.done', { realm: config.realm.name, changes: describeChanges(changes) }),
  );
}

/** "realm mcp-realm created, client mcp-inspector unchanged": what provisioning did, item by item. */
function describeChanges(changes: readonly Change[]): string {
  return changes.map(({ item, action }) => t('up.change', { item, action })).join(t('up.list-separator'));
}
