import type { AuthMode, WhoamiSdk } from '../../core/config.ts';
import { testLabConfig } from '../test-target.ts';

/** A whoami server global-setup started (or the compose stack runs). */
export interface WhoamiServerUnderTest {
  /** How test titles name it: "Node.js, tutorial mode". */
  name: string;
  url: string;
  sdk: WhoamiSdk;
  mode: AuthMode;
}

const tutorialSdk: WhoamiSdk = process.env.E2E_WHOAMI_TUTORIAL_SDK === 'python' ? 'python' : 'node';
const sdkNames: Record<WhoamiSdk, string> = { node: 'Node.js', python: 'Python' };

/**
 * What the tests need to know about the lab. Its settings are the test lab's (test-target.ts); the
 * URLs of the servers global-setup started are read when a test first asks, so the room tier's
 * specs, which start labs of their own and have no shared Keycloak, can use the settings alone.
 */
export const lab = Object.freeze({
  ...testLabConfig(),
  /** The tutorial-mode whoami server on WHOAMI_PORT: the Node one, or in compose whichever the stack runs. */
  get whoamiUrl(): string {
    return requiredEnv('E2E_WHOAMI_TUTORIAL_URL');
  },
  /** The whoami server of each mode; both share the one Keycloak. The compose stack has no spec-mode one. */
  get whoamiUrls(): Readonly<Record<AuthMode, string>> {
    return Object.freeze({ tutorial: requiredEnv('E2E_WHOAMI_TUTORIAL_URL'), spec: process.env.E2E_WHOAMI_SPEC_URL ?? '' });
  },
  /** The Python server (tutorial mode) beside the Node ones; empty in compose, which runs one server. */
  get pythonWhoamiUrl(): string {
    return process.env.E2E_WHOAMI_PYTHON_URL ?? '';
  },
  /** The 2026-07-28 server (spec mode, SDK 2.x) beside them; empty in compose. */
  get revision2026WhoamiUrl(): string {
    return process.env.E2E_WHOAMI_2026_URL ?? '';
  },
  get keycloakVersion(): string {
    return requiredEnv('E2E_KEYCLOAK_VERSION');
  },
  /** The features the run's Keycloak was started with (`--features`), e.g. cimd, resource-indicators. */
  get keycloakFeatures(): readonly string[] {
    return Object.freeze((process.env.E2E_KEYCLOAK_FEATURES ?? '').split(',').filter(Boolean));
  },
});

/** The modes this run has a Node server for (compose: its one server's). */
export const modes: AuthMode[] = process.env.E2E_WHOAMI_SPEC_URL ? ['tutorial', 'spec'] : ['tutorial'];

/** Every whoami server of this run: each SDK, each mode it has (empty without global-setup's servers). */
export const servers: readonly WhoamiServerUnderTest[] = Object.freeze<WhoamiServerUnderTest[]>(
  process.env.E2E_WHOAMI_TUTORIAL_URL
    ? [
        { name: `${sdkNames[tutorialSdk]}, tutorial mode`, url: lab.whoamiUrls.tutorial, sdk: tutorialSdk, mode: 'tutorial' },
        ...(lab.whoamiUrls.spec ? [{ name: 'Node.js, spec mode', url: lab.whoamiUrls.spec, sdk: 'node', mode: 'spec' } as const] : []),
        ...(lab.pythonWhoamiUrl
          ? [{ name: 'Python, tutorial mode', url: lab.pythonWhoamiUrl, sdk: 'python', mode: 'tutorial' } as const]
          : []),
      ]
    : [],
);

/** The servers that run the tutorial's userinfo check. */
export const tutorialServers = servers.filter(({ mode }) => mode === 'tutorial');

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through playwright.config.ts (global-setup sets it)`);
  return value;
}

export { mcpEndpoint, type Transport } from '../../lab/check/mcp-requests.ts';
