import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { repoRoot, type LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { keycloakStartRefusal } from '../../core/keycloak-versions.ts';
import { assertPortsFree } from '../../core/ports.ts';
import { isProcessAlive, startDetached } from '../../core/process.ts';
import { poll, WaitAbortedError } from '../../core/wait.ts';
import { ensureLocalhostCertificate } from '../cimd/certificate.ts';
import { inspectorClientDocument } from '../cimd/client-documents.ts';
import { startDocumentServer } from '../cimd/document-server.ts';
import { findNginx, startKeycloakGate } from '../keycloak/keycloak-gate.ts';
import { nativeKeycloakFor } from '../keycloak/native-keycloak.ts';
import { assertAddressOfThisMachine } from '../room-address.ts';
import { withClassroomAdminPassword } from '../admin-password.ts';
import { clearLabState, readLabState, writeLabState } from '../lab-state.ts';
import { step } from '../progress.ts';
import { labSummary, sdkNames } from '../summary.ts';
import { ensurePythonVenv, inspectInterpreter } from '../python-venv.ts';
import { startWhoamiServer } from '../whoami-process.ts';
import { startInspector } from '../inspector-process.ts';
import { labInspectorClientSettings, labInspectorServers } from '../inspector-catalog.ts';
import { startProgressServer } from '../classroom/progress-server.ts';
import { connectAndProvision } from '../../provisioning/provision.ts';

/**
 * `lab up`: Keycloak (native distribution), provisioning, the whoami server, the MCP Inspector
 * (unless `--no-inspector`); then waits for Ctrl-C (or `lab down`) and stops everything it started.
 * `--detach` runs the same in the background and returns once the lab is ready.
 */
export async function up(config: LabConfig, { detach, inspector }: { detach: boolean; inspector: boolean }): Promise<number> {
  const running = readLabState(config);
  if (running && isProcessAlive(running.pid)) {
    throw new LabError('ERR_ALREADY_RUNNING', `A lab is already running (pid ${running.pid})`, { hint: 'stop it with `npm run lab -- down`' });
  }
  const refusal = keycloakStartRefusal({ registration: config.client.registration, version: config.keycloak.version, features: config.keycloak.features });
  if (refusal) throw new LabError('ERR_KEYCLOAK_FEATURE', refusal, { hint: 'set KEYCLOAK_VERSION to a newer Keycloak, or choose another LAB_CLIENT_REGISTRATION' });
  const cimd = config.client.registration === 'cimd';
  if (config.inClassroom) {
    // Both before anything starts: a LAB_PUBLIC_HOST of another machine or a missing nginx is one line.
    await assertAddressOfThisMachine(config.publicHost);
    findNginx();
  }
  // The Python server needs a python3 that can make a venv: say so before anything starts.
  if (config.server.sdk === 'python') await inspectInterpreter();
  await assertPortsFree([
    { port: config.keycloak.port, what: 'Keycloak HTTP', setting: 'KEYCLOAK_PORT' },
    { port: config.keycloak.managementPort, what: 'Keycloak management', setting: 'KEYCLOAK_MANAGEMENT_PORT' },
    { port: config.server.port, what: 'whoami server', setting: 'WHOAMI_PORT' },
    { port: config.classroom.progressPort, what: 'progress page', setting: 'LAB_PROGRESS_PORT' },
    ...(inspector ? [
      { port: config.inspector.port, what: 'MCP Inspector', setting: 'INSPECTOR_PORT' },
      { port: config.inspector.sandboxPort, what: 'MCP Inspector sandbox', setting: 'INSPECTOR_SANDBOX_PORT' },
      { port: config.inspector.appOriginPort, what: 'MCP Inspector app origin', setting: 'INSPECTOR_APP_ORIGIN_PORT' },
    ] : []),
    ...(cimd ? [{ port: config.cimd.port, what: 'client ID metadata documents', setting: 'CIMD_PORT' }] : []),
  ]);
  // Only now, with nothing in the way: a classroom's admin password, made the first time.
  const labConfig = withClassroomAdminPassword(config, { create: true });
  return detach ? upInBackground(labConfig, inspector) : upInForeground(labConfig, inspector);
}

async function upInForeground(config: LabConfig, withInspector: boolean): Promise<number> {
  // Listen for Ctrl-C (and `lab down`'s SIGTERM) before starting anything, so a stop during
  // start-up still stops what was started; a second Ctrl-C while stopping changes nothing.
  const stopRequested = new AbortController();
  const onSignal = () => {
    if (stopRequested.signal.aborted) return;
    console.log('\nStopping the lab…');
    stopRequested.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const startedAt = performance.now();
  const stopAll: Array<() => Promise<void>> = [];
  let inspectorOpenUrl: string | undefined;
  const shutdown = async () => {
    for (const stop of stopAll.reverse()) await stop();
    clearLabState(config);
  };
  try {
    // Keycloak takes the longest, and nothing else needs it to start (the server reaches it on the
    // first request), so it boots while the server and the Inspector start.
    const keycloakStartedAt = performance.now();
    // Aborted by Ctrl-C, and by a failure elsewhere: either way Keycloak stops booting.
    const keycloakStartAborted = new AbortController();
    stopRequested.signal.addEventListener('abort', () => keycloakStartAborted.abort(), { once: true });
    // The cimd profile: Keycloak fetches the Inspector's metadata document over HTTPS, with a
    // certificate of the lab's own that it trusts from its start.
    const certificate = config.client.registration === 'cimd' ? await ensureLocalhostCertificate(config.cimd.certificateDir) : undefined;
    const keycloakStart = nativeKeycloakFor(config)
      .withTruststorePaths(certificate ? [certificate.certPath] : [])
      .withLogPath(path.join(config.stateDir, 'keycloak.log'))
      .start({ signal: keycloakStartAborted.signal });
    keycloakStart.catch(() => {}); // awaited below; a failure meanwhile is not "unhandled"
    stopAll.push(async () => {
      keycloakStartAborted.abort();
      await (await keycloakStart.catch(() => undefined))?.stop();
    });

    // The Python server's packages: installed once into a venv in the cache, then reused.
    const venv = config.server.sdk === 'python'
      ? await step('preparing the Python server\'s packages', () => ensurePythonVenv(config.cacheDir, {
        logPath: path.join(config.stateDir, 'whoami-pip.log'), prefetchDir: config.prefetchDir,
      }), (made) => `Python ${made.pythonVersion} venv ${made.created ? 'made' : 'reused'}: ${made.dir}`)
      : undefined;
    const gate = config.keycloak.gate;
    if (gate) {
      const started = await step('starting the classroom\'s gate to Keycloak', () => startKeycloakGate({ ...gate, dir: path.join(config.stateDir, 'keycloak-gate') }),
        (started) => `gate to Keycloak (nginx) ready at ${started.url}: students reach the realm's pages only`);
      stopAll.push(() => started.stop());
    }
    const server = await step('starting the whoami server', () => startWhoamiServer(config, {
      logPath: path.join(config.stateDir, 'whoami.log'),
      venv,
    }), (started) => `whoami server (${sdkNames[started.sdk]}) ready at ${started.url} (${started.mode} mode)`);
    stopAll.push(() => server.stop());
    const progress = await step('starting the progress page', () => startProgressServer(config), (started) => `progress page ready at ${started.url}/progress`);
    stopAll.push(() => progress.stop());
    if (certificate) {
      const documents = await step('serving the Inspector\'s client ID metadata document', () => startDocumentServer({
        port: config.cimd.port, certificate, documents: [inspectorClientDocument(config)],
      }), () => `client ID metadata document at ${config.cimd.inspectorDocumentUrl}`);
      stopAll.push(() => documents.stop());
    }
    if (withInspector) {
      const apiToken = config.inspector.apiToken ?? randomBytes(16).toString('hex');
      const inspector = await step(`starting the MCP Inspector ${config.inspector.version}`, () => startInspector({
        port: config.inspector.port,
        sandboxPort: config.inspector.sandboxPort,
        appOriginPort: config.inspector.appOriginPort,
        apiToken,
        homeDir: path.join(config.stateDir, 'inspector-home'),
        servers: labInspectorServers(config),
        clientSettings: labInspectorClientSettings(config),
        logPath: path.join(config.stateDir, 'inspector.log'),
        readyTimeoutMs: config.inspector.readyTimeoutMs,
      }), (started) => `MCP Inspector ready at ${started.url}`);
      stopAll.push(() => inspector.stop());
      inspectorOpenUrl = inspector.openUrl;
    }
    await step(`starting Keycloak ${config.keycloak.version}`, () => keycloakStart,
      (started) => `Keycloak ${started.getVersion()} ready at ${started.getUrl()} on Java ${started.java.majorVersion} (${started.java.source})`,
      keycloakStartedAt);
    if (!stopRequested.signal.aborted) {
      await step(`provisioning realm ${config.realm.name}`, () => connectAndProvision(config), (changes) =>
        `realm ${config.realm.name} provisioned (${changes.map(({ item, action }) => `${item} ${action}`).join(', ')})`);
    }
  } catch (error) {
    await shutdown();
    if (error instanceof LabError && error.code === 'ERR_INTERRUPTED') {
      console.log('Lab stopped before it was ready.');
      return 130;
    }
    throw error;
  }

  if (!stopRequested.signal.aborted) {
    const summary = labSummary(config, inspectorOpenUrl);
    console.log(`\n${summary}\nReady in ${((performance.now() - startedAt) / 1000).toFixed(1)} s. Stop with Ctrl-C.`);
    writeLabState(config, { pid: process.pid, ready: true, startedAt: new Date().toISOString(), summary });
    await new Promise((resolve) => stopRequested.signal.addEventListener('abort', resolve, { once: true }));
  }
  await shutdown();
  console.log('Lab stopped.');
  return 0;
}

/** The same lab as a process of its own that outlives this one; returns once it says it is ready. */
async function upInBackground(config: LabConfig, withInspector: boolean): Promise<number> {
  const logPath = path.join(config.stateDir, 'lab.log');
  clearLabState(config);
  const lab = startDetached({
    file: process.execPath,
    args: [path.join(repoRoot, 'lab', 'cli.ts'), 'up', ...(withInspector ? [] : ['--no-inspector'])],
    logPath,
  });
  try {
    const state = await poll(async () => readLabState(config)?.ready ? readLabState(config)! : { pending: 'not ready yet' }, {
      timeoutMs: config.keycloak.readyTimeoutMs + 60_000, intervalMs: 500, isAlive: lab.isRunning,
    });
    console.log(`${state.summary}\nRunning in the background (pid ${state.pid}, log ${logPath}). Stop with \`npm run lab -- down\`.`);
    return 0;
  } catch (error) {
    await lab.stop();
    const what = error instanceof WaitAbortedError ? 'exited before it was ready' : 'was not ready in time and was stopped';
    throw new LabError('ERR_PROCESS_EXITED', `The lab in the background ${what}`, { hint: `see ${logPath}` });
  }
}
