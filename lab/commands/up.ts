import path from 'node:path';
import { repoRoot, type LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { keycloakStartRefusal } from '../../core/keycloak-versions.ts';
import { assertPortsFree } from '../../core/ports.ts';
import { isProcessAlive, startDetached } from '../../core/process.ts';
import { StopList, stopRequestFromSignals } from '../../core/stop-list.ts';
import { poll, WaitAbortedError } from '../../core/wait.ts';
import { findNginx } from '../keycloak/keycloak-gate.ts';
import { assertAddressOfThisMachine } from '../room-address.ts';
import { withClassroomAdminPassword } from '../admin-password.ts';
import { clearLabState, readLabState, writeLabState } from '../lab-state.ts';
import { labSummary } from '../summary.ts';
import { inspectInterpreter } from '../python-venv.ts';
import { startLab, type LabStart } from '../up/start-lab.ts';

/**
 * `lab up`: Keycloak (native distribution) and provisioning, or the OIDC or OAuth 2 tab's
 * authorization server (LAB_PROVIDER); the whoami server, the MCP Inspector
 * (unless `--no-inspector`); then waits for Ctrl-C (or `lab down`) and stops everything it started.
 * `--detach` runs the same in the background and returns once the lab is ready.
 */
export async function up(config: LabConfig, { detach, inspector }: { detach: boolean; inspector: boolean }): Promise<number> {
  const running = readLabState(config);
  if (running && isProcessAlive(running.pid)) {
    throw new LabError('ERR_ALREADY_RUNNING', t('up.already-running', { pid: String(running.pid) }), {
      hint: t('up.already-running.hint'),
    });
  }
  const refusal = keycloakStartRefusal({
    registration: config.client.registration,
    version: config.keycloak.version,
    features: config.keycloak.features,
  });
  if (refusal)
    throw new LabError('ERR_KEYCLOAK_FEATURE', refusal, {
      hint: t('up.keycloak-feature.hint'),
    });
  const cimd = config.client.registration === 'cimd';
  if (config.inClassroom) {
    // Both before anything starts: a LAB_PUBLIC_HOST of another machine or a missing nginx is one line.
    await assertAddressOfThisMachine(config.publicHost);
    findNginx();
  }
  // The Python server needs a python3 that can make a venv: say so before anything starts.
  if (config.server.sdk === 'python') await inspectInterpreter();
  const { provider } = config;
  await assertPortsFree([
    ...(provider.kind === 'keycloak'
      ? [
          { port: config.keycloak.port, what: t('up.port.keycloak-http'), setting: 'KEYCLOAK_PORT' },
          { port: config.keycloak.managementPort, what: t('up.port.keycloak-management'), setting: 'KEYCLOAK_MANAGEMENT_PORT' },
        ]
      : provider.kind === 'logto'
        ? [
            { port: config.logto.port, what: t('up.port.logto'), setting: 'LOGTO_PORT' },
            { port: config.logto.adminPort, what: t('up.port.logto-console'), setting: 'LOGTO_ADMIN_PORT' },
            { port: config.logto.dbPort, what: t('up.port.logto-postgres'), setting: 'LOGTO_DB_PORT' },
          ]
        : [
            {
              port: provider.port ?? 0,
              what: t('up.provider.name', { kind: provider.kind }),
              setting: provider.kind === 'oidc' ? 'OIDC_PROVIDER_PORT' : 'OAUTH_PROVIDER_PORT',
            },
          ]),
    { port: config.server.port, what: t('up.port.whoami'), setting: 'WHOAMI_PORT' },
    { port: config.classroom.progressPort, what: t('up.port.progress-page'), setting: 'LAB_PROGRESS_PORT' },
    ...(inspector
      ? [
          { port: config.inspector.port, what: t('up.port.inspector'), setting: 'INSPECTOR_PORT' },
          { port: config.inspector.sandboxPort, what: t('up.port.inspector-sandbox'), setting: 'INSPECTOR_SANDBOX_PORT' },
          { port: config.inspector.appOriginPort, what: t('up.port.inspector-app-origin'), setting: 'INSPECTOR_APP_ORIGIN_PORT' },
        ]
      : []),
    ...(cimd ? [{ port: config.cimd.port, what: t('up.port.cimd'), setting: 'CIMD_PORT' }] : []),
  ]);
  // Only now, with nothing in the way: a classroom's admin password, made the first time.
  const labConfig = withClassroomAdminPassword(config, { create: true });
  return detach ? upInBackground(labConfig, inspector) : upInForeground(labConfig, inspector);
}

/**
 * Starts the lab (up/start-lab.ts), says what to type into the Inspector, waits for Ctrl-C or
 * `lab down`, stops everything. A stop request during start-up is exit 130; any other failure
 * stops what was started and is thrown.
 */
async function upInForeground(config: LabConfig, withInspector: boolean): Promise<number> {
  // Listening before anything starts, so a stop during start-up still stops what was started; and
  // until the process exits, so a second Ctrl-C while stopping changes nothing.
  const stopRequest = stopRequestFromSignals(() => console.log(`\n${t('up.stopping')}`));
  const startedAt = performance.now();
  const stops = new StopList();
  // Registered first, so it runs last: after every part has stopped, even if one failed to.
  stops.add(() => clearLabState(config));
  let lab: LabStart;
  try {
    lab = await startLab(config, { withInspector, stops, stopRequested: stopRequest.signal });
  } catch (error) {
    if (!(error instanceof LabError && error.code === 'ERR_INTERRUPTED')) await stops.stopAllAfter(error);
    await stops.stopAll();
    console.log(t('up.stopped-before-ready'));
    return 130;
  }

  if (!stopRequest.signal.aborted) {
    const summary = labSummary(lab.config, lab.inspectorOpenUrl);
    console.log(`\n${summary}\n${t('up.ready-in', { seconds: ((performance.now() - startedAt) / 1000).toFixed(1) })}`);
    writeLabState(config, { pid: process.pid, ready: true, startedAt: new Date().toISOString(), summary });
    await new Promise((resolve) => stopRequest.signal.addEventListener('abort', resolve, { once: true }));
  }
  await stops.stopAll();
  console.log(t('up.stopped'));
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
    const state = await poll(async () => (readLabState(config)?.ready ? readLabState(config)! : { pending: 'not ready yet' }), {
      // The Logto tab's first start builds Logto from source: minutes, printed in the log.
      timeoutMs: config.keycloak.readyTimeoutMs + 60_000 + (config.provider.kind === 'logto' ? 20 * 60_000 : 0),
      intervalMs: 500,
      isAlive: lab.isRunning,
    });
    console.log(`${state.summary}\n${t('up.background.running', { pid: String(state.pid), log: logPath })}`);
    return 0;
  } catch (error) {
    await lab.stop();
    const reason = error instanceof WaitAbortedError ? 'exited' : 'timeout';
    throw new LabError('ERR_PROCESS_EXITED', t('up.background.failed', { reason }), { hint: t('up.hint.see-log', { path: logPath }) });
  }
}
