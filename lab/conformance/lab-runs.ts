/**
 * The runs for a lab, from its settings: its whoami server against the scenarios of the server's
 * MCP revision (through the token proxy, with the revision's baseline), and its realm against the
 * authorization-server scenarios (Chromium signs in as the lab's user). `npm run conformance` and
 * the e2e tier build their runs here.
 */
import type { AuthMode, LabConfig, McpRevision } from '../../core/config.ts';
import { directGrantToken } from './access-token.ts';
import { authorizationRun } from './authorization-driver.ts';
import { baselineFile } from './baseline.ts';
import { conformanceClientId } from '../../provisioning/ensure-conformance-client.ts';
import type { ConformanceRun } from './run.ts';
import { serverRun } from './server-run.ts';

/** A whoami server as its /healthz describes it. */
export interface WhoamiUnderTest {
  /** Its origin, e.g. http://localhost:3001. */
  url: string;
  revision: McpRevision;
  mode: AuthMode;
}

/** The `authorization` command's callback port for a running lab (LAB_CONFORMANCE_CALLBACK_PORT). */
export function conformanceCallbackPort(config: LabConfig): number {
  return config.conformance.callbackPort;
}

export function callbackUri(port: number): string {
  return `http://127.0.0.1:${port}/callback`;
}

/**
 * `config` names the realm whose user the token is for; `server` the server it goes to. The
 * revision's baseline unless told (a test's altered copy).
 */
export function whoamiServerRun(
  config: LabConfig,
  server: WhoamiUnderTest,
  { baseline = baselineFile(server.revision) }: { baseline?: string } = {},
): ConformanceRun {
  const generation = server.revision === '2026-07-28' ? '2026' : '1.x';
  return serverRun({
    label: `whoami ${generation}, ${server.mode}`,
    serverUrl: server.url,
    specVersion: server.revision,
    baselineFile: baseline,
    token: () =>
      directGrantToken({
        issuer: config.realm.issuer,
        clientId: conformanceClientId,
        username: config.user.username,
        password: config.user.password,
        // What the Inspector asks for in each mode: tutorial mode checks the token at userinfo,
        // spec mode wants the whoami scope, and its audience.
        scope: server.mode === 'spec' ? `${config.client.scope} ${config.server.whoamiScope}` : config.client.scope,
        resource: server.mode === 'spec' ? server.url : undefined,
      }),
  });
}

export interface RealmAuthorizationOptions {
  callbackPort: number;
  specVersion: McpRevision;
  /** The server a spec-mode token is for; none in tutorial mode, whose tokens name no server. */
  resource: string | undefined;
  /** As Keycloak's admin API says, for the summary line. */
  keycloakVersion: string;
}

export function realmAuthorizationRun(
  config: LabConfig,
  { callbackPort, specVersion, resource, keycloakVersion }: RealmAuthorizationOptions,
): ConformanceRun {
  return authorizationRun({
    label: `Keycloak ${keycloakVersion}, realm ${config.realm.name}`,
    issuer: config.realm.issuer,
    clientId: conformanceClientId,
    resource,
    callbackPort,
    specVersion,
    credentials: config.user,
  });
}
