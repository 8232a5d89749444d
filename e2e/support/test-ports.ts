import { withSettings, type LabConfig } from '../../core/config.ts';
import { e2eTarget, testLabConfig } from '../test-target.ts';

const base = testLabConfig();

/**
 * Ports of the extra servers tests start, counted up from the test lab's WHOAMI_PORT (3181 by
 * default, see test-target.ts) so that each set of test ports stays together.
 */
export const testPorts = Object.freeze({
  /** The spec-mode whoami server global-setup starts next to the tutorial-mode one. */
  specWhoami: base.server.port + 1,
  /** The failure matrix's stoppable stand-in for Keycloak (a TCP proxy). */
  keycloakProxy: base.server.port + 2,
  /** whoami servers behind that proxy, one per mode. */
  outageTutorialWhoami: base.server.port + 3,
  outageSpecWhoami: base.server.port + 4,
  /** `lab doctor` tests: their whoami server, and something else squatting a port. */
  doctorWhoami: base.server.port + 5,
  doctorSquatter: base.server.port + 6,
  /** The Python whoami server (tutorial mode) global-setup starts beside the Node ones. */
  pythonWhoami: base.server.port + 7,
  /** The Python server behind the failure matrix's Keycloak proxy. */
  outagePythonWhoami: base.server.port + 8,
  /** Registration profile tests: the whoami server of their own realm. */
  profileWhoami: base.server.port + 9,
  /** `lab check` tests: the servers they check, from here up (thirty ports). */
  checkServers: base.server.port + 10,
  /** Resource indicator tests: the whoami server of their own realm (past the check servers). */
  resourceWhoami: base.server.port + 40,
  /** SSE session tests: a whoami server of their own, so that its session count is theirs alone. */
  sseSessionsWhoami: base.server.port + 41,
  /**
   * The providers tier (providers-setup.ts): the lab's own authorization servers of the OIDC and
   * OAuth 2 tabs beside the test Keycloak's port (the lab's defaults are 8081 and 8082 beside 8080),
   * the extra ones the restart tests start, and a Node and a Python whoami server per tab, past
   * `lab check`'s servers and clear of the +50 labs of the room tier.
   */
  oidcAuthServer: base.keycloak.port + 1,
  oauthAuthServer: base.keycloak.port + 2,
  restartedOidcAuthServer: base.keycloak.port + 3,
  restartedOauthAuthServer: base.keycloak.port + 4,
  oidcNodeWhoami: base.server.port + 60,
  oidcPythonWhoami: base.server.port + 61,
  oauthNodeWhoami: base.server.port + 62,
  oauthPythonWhoami: base.server.port + 63,
  /**
   * The providers tier's `lab check` tests (providers/provider-lab-check.spec.ts): the learner
   * servers they check, from here up (twenty ports, to +89), clear of the room tier's +50 and +100 labs.
   */
  providerCheckServers: base.server.port + 70,
  /**
   * The providers tier's failure rows (providers/provider-failures.spec.ts): an authorization
   * server per tab the test stops and starts again, beside the tier's own (+1 to +4), and a Node
   * and a Python whoami server per tab against it, past `lab check`'s servers (+70 to +89).
   */
  outageOidcAuthServer: base.keycloak.port + 5,
  outageOauthAuthServer: base.keycloak.port + 6,
  outageOidcNodeWhoami: base.server.port + 90,
  outageOidcPythonWhoami: base.server.port + 91,
  outageOauthNodeWhoami: base.server.port + 92,
  outageOauthPythonWhoami: base.server.port + 93,
  /**
   * The providers tier's `lab doctor` tests (providers/provider-doctor.spec.ts): a provider port
   * nothing listens on, and the whoami server that expects an authorization server there.
   */
  doctorAbsentAuthServer: base.keycloak.port + 7,
  providerDoctorWhoami: base.server.port + 94,
  /**
   * The Logto tier (logto-setup.ts): Logto, its Console and its PostgreSQL beside the test
   * Keycloak's port (the lab's defaults are 8083–8085), and its whoami servers (Node and Python in
   * each mode), past the providers tier's.
   */
  logto: base.keycloak.port + 11,
  logtoAdmin: base.keycloak.port + 12,
  logtoDb: base.keycloak.port + 13,
  logtoNodeWhoami: base.server.port + 95,
  logtoPythonWhoami: base.server.port + 96,
  logtoSpecWhoami: base.server.port + 97,
  logtoPythonSpecWhoami: base.server.port + 98,
  /** The Python server in spec mode, for a realm of its own (tests/python-spec-mode.spec.ts). */
  pythonSpecWhoami: base.server.port + 45,
  /** The 2026-07-28 server (MCP_REVISION) of the step-up tests' realm (tests/step-up.spec.ts). */
  revision2026Whoami: base.server.port + 46,
  /** The same for the Inspector's step-up tests (tests/inspector-step-up.spec.ts): a realm and server of their own, run beside. */
  inspectorStepUpWhoami: base.server.port + 48,
  /**
   * On 26.6+ the step-up tests' Keycloak, with `resource-indicators` (step-up.spec.ts), above the
   * resource indicator tests' (+200); its management port alike.
   */
  stepUpKeycloak: base.keycloak.port + 210,
  /** The conformance tests' 2026-07-28 server, of a realm of their own. */
  conformanceWhoami: base.server.port + 47,
  /** The conformance suite's `authorization` command: its callback (a redirect URI of the realm's conformance client). */
  conformanceCallback: base.server.port + 49,
  /** `lab check --revision 2026-07-28` tests: the servers they check, from here up (six ports, to +69). */
  revisionCheckServers: base.server.port + 64,
  /** The 2026-07-28 server (spec mode) global-setup starts beside the 1.x ones: the failure matrix's fourth column. */
  specRevision2026Whoami: base.server.port + 99,
  /** The 2026-07-28 server behind the failure matrix's Keycloak proxy. */
  outageRevision2026Whoami: base.server.port + 102,
  /** `lab doctor`'s step-up checks (tests/doctor-step-up.spec.ts): the 2026-07-28 server of their realm. */
  doctorStepUpWhoami: base.server.port + 101,
  /** The Logto tier's `lab check` tests: the learner servers they check (+42 to +44, between the SSE session tests' and the +50 labs). */
  logtoCheckServers: base.server.port + 42,
  /** The zh-CN tests (tests/zh-cn.spec.ts): the whoami server of their Chinese realm, and the broken server `lab check` reads in Chinese. */
  zhCnWhoami: base.server.port + 103,
  zhCnCheckServer: base.server.port + 104,
});

/** The lab's settings as seen by a whoami server on another port (its URL is its resource). */
export function labWithServerOn(port: number, lab: LabConfig = base): LabConfig {
  return withSettings(lab, { WHOAMI_PORT: String(port), WHOAMI_URL: '' });
}

/**
 * The environment for a lab command that provisions the shared test realm: it must see the same
 * settings as global-setup's provisioning, whose audience mapper names the spec-mode server.
 */
export const sharedRealmEnv: Readonly<Record<string, string>> = Object.freeze<Record<string, string>>(
  // The compose stack provisioned its realm itself, with the lab's own settings.
  e2eTarget() === 'compose' ? {} : { WHOAMI_PORT: String(testPorts.specWhoami) },
);

/**
 * The settings of a whole lab a test starts with `lab up` (room/lab-cli.spec.ts: +100;
 * room/classroom-network.spec.ts: +50; unit/lab-cli.test.ts, which starts nothing: +150): the test
 * lab's ports plus `offset`, its own Keycloak copy, and
 * URLs derived from those ports rather than inherited from the test lab.
 */
/** The ports a lab made by `labAbove` listens on. */
export function portsOf(lab: ReturnType<typeof labAbove>): number[] {
  const { KEYCLOAK_PORT, KEYCLOAK_MANAGEMENT_PORT, WHOAMI_PORT, INSPECTOR_PORT, INSPECTOR_SANDBOX_PORT, INSPECTOR_APP_ORIGIN_PORT } = lab;
  return [
    KEYCLOAK_PORT,
    KEYCLOAK_MANAGEMENT_PORT,
    WHOAMI_PORT,
    INSPECTOR_PORT,
    INSPECTOR_SANDBOX_PORT,
    INSPECTOR_APP_ORIGIN_PORT,
    lab.LAB_PROGRESS_PORT,
  ].map(Number);
}

export function labAbove(offset: number, keycloakInstance: string) {
  return {
    KEYCLOAK_PORT: String(base.keycloak.port + offset),
    KEYCLOAK_MANAGEMENT_PORT: String(base.keycloak.managementPort + offset),
    WHOAMI_PORT: String(base.server.port + offset),
    INSPECTOR_PORT: String(base.inspector.port + offset),
    INSPECTOR_SANDBOX_PORT: String(base.inspector.sandboxPort + offset),
    INSPECTOR_APP_ORIGIN_PORT: String(base.inspector.appOriginPort + offset),
    LAB_PROGRESS_PORT: String(base.classroom.progressPort + offset),
    KEYCLOAK_INSTANCE: keycloakInstance,
    KEYCLOAK_URL: '',
    WHOAMI_URL: '',
    INSPECTOR_URL: '',
    INSPECTOR_API_TOKEN: '',
    // The features `lab up` picks itself (none in tutorial mode), not the shared test Keycloak's.
    KEYCLOAK_FEATURES: '',
    CIMD_PORT: String(base.cimd.port + offset),
  };
}
