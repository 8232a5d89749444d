import type { AuthMode } from '../../core/config.ts';
import { testLabConfig } from '../test-target.ts';

/** What the tests need to know about the lab that global-setup started. */
export const lab = Object.freeze({
  ...testLabConfig(),
  /** The tutorial-mode whoami server (WHOAMI_PORT). */
  whoamiUrl: requiredEnv('E2E_WHOAMI_TUTORIAL_URL'),
  /** The whoami server of each mode; both share the one Keycloak. The compose stack has no spec-mode one. */
  whoamiUrls: Object.freeze({ tutorial: requiredEnv('E2E_WHOAMI_TUTORIAL_URL'), spec: process.env.E2E_WHOAMI_SPEC_URL ?? '' }) as Readonly<Record<AuthMode, string>>,
  keycloakVersion: requiredEnv('E2E_KEYCLOAK_VERSION'),
  /** The features the run's Keycloak was started with (`--features`), e.g. cimd, resource-indicators. */
  keycloakFeatures: Object.freeze((process.env.E2E_KEYCLOAK_FEATURES ?? '').split(',').filter(Boolean)),
});

/** The modes this run has a server for. */
export const modes: AuthMode[] = process.env.E2E_WHOAMI_SPEC_URL ? ['tutorial', 'spec'] : ['tutorial'];

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through playwright.config.ts (global-setup sets it)`);
  return value;
}

export type Transport = 'sse' | 'streamable-http';

/** The MCP endpoint of each transport, as the tutorial (SSE) and the current spec name them. */
export function mcpEndpoint(serverUrl: string, transport: Transport): URL {
  return new URL(transport === 'sse' ? '/sse' : '/mcp', serverUrl);
}
