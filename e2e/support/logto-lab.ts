/**
 * The Logto tier's lab: the test lab playing the tutorial's Logto tab, with Logto, its Console and
 * its PostgreSQL on the tier's ports (support/test-ports.ts), and the whoami servers logto-setup.ts
 * starts against it. The App ID is Logto's choice: global setup hands it to the specs through
 * E2E_LOGTO_APP_ID, with the servers' URLs.
 */
import os from 'node:os';
import path from 'node:path';
import { repoRoot, withSettings, type LabConfig, type WhoamiSdk } from '../../core/config.ts';
import { testLabConfig } from '../test-target.ts';
import { labWithServerOn, testPorts } from './test-ports.ts';

/** Logs and state of one run of the tier: fresh each time. */
export const logtoRunDir = path.join(repoRoot, 'test-results', 'logto-servers');

/**
 * Where the tier's PostgreSQL data go: under the system's temporary folder, which the `postgres`
 * user (PostgreSQL's, when the tests run as root) can always reach — a clone under /root could not.
 */
export const logtoDbRoot = path.join(os.tmpdir(), `mcp-auth-lab-logto-tier-${process.getuid?.() ?? 'user'}`);

/** The test lab with LAB_PROVIDER=logto on the tier's ports; the App ID once global setup made it. */
export function logtoLab(mode: 'tutorial' | 'spec' = 'tutorial'): LabConfig {
  return withSettings(testLabConfig(), {
    LAB_PROVIDER: 'logto',
    AUTH_MODE: mode,
    LOGTO_PORT: String(testPorts.logto),
    LOGTO_ADMIN_PORT: String(testPorts.logtoAdmin),
    LOGTO_DB_PORT: String(testPorts.logtoDb),
    LOGTO_DB_DIR: path.join(logtoDbRoot, 'postgres'),
    LOGTO_APP_ID: process.env.E2E_LOGTO_APP_ID ?? '',
    LAB_STATE_DIR: path.join(logtoRunDir, 'state'),
  });
}

/** The whoami servers of the tier: Node and Python, each in tutorial and in spec mode. */
export const logtoServers = {
  node: { sdk: 'node', mode: 'tutorial', port: testPorts.logtoNodeWhoami },
  python: { sdk: 'python', mode: 'tutorial', port: testPorts.logtoPythonWhoami },
  spec: { sdk: 'node', mode: 'spec', port: testPorts.logtoSpecWhoami },
  pythonSpec: { sdk: 'python', mode: 'spec', port: testPorts.logtoPythonSpecWhoami },
} as const satisfies Record<string, { sdk: WhoamiSdk; mode: 'tutorial' | 'spec'; port: number }>;
export type LogtoServerName = keyof typeof logtoServers;

/** The lab as the server `name` sees it: its mode, its port (and so its resource URL). */
export function logtoServerLab(name: LogtoServerName): LabConfig {
  const { sdk, mode, port } = logtoServers[name];
  return withSettings(labWithServerOn(port, logtoLab(mode)), { WHOAMI_SDK: sdk });
}

/** The server's URL, as global setup started it. */
export function logtoServerUrl(name: LogtoServerName): string {
  return logtoServerLab(name).server.url;
}

/** An account provisioning makes in Logto (Logto chooses its `sub`). */
export type LogtoUser = LabConfig['user'];

/** testuser (the tutorial's) and a second user, to tell one's claims from another's. */
export const logtoUsers = Object.freeze({
  testuser: testLabConfig().user,
  second: {
    username: 'seconduser',
    password: 'second-password',
    email: 'seconduser@example.com',
    firstName: 'Second',
    lastName: 'Learner',
  },
}) satisfies Record<string, LogtoUser>;

/** The App ID global setup provisioned, or a clear failure outside the tier. */
export function logtoAppId(): string {
  const appId = process.env.E2E_LOGTO_APP_ID;
  if (!appId) throw new Error('E2E_LOGTO_APP_ID is not set: run the tests through e2e/logto.config.ts (logto-setup.ts sets it)');
  return appId;
}

/** Where Logto's PostgreSQL is (provisioning reads Logto's own machine-to-machine secret there). */
export function logtoDbUrl(): string {
  const dbUrl = process.env.E2E_LOGTO_DB_URL;
  if (!dbUrl) throw new Error('E2E_LOGTO_DB_URL is not set: run the tests through e2e/logto.config.ts (logto-setup.ts sets it)');
  return dbUrl;
}
