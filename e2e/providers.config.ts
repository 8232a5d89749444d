import { defineConfig } from '@playwright/test';
import { browserUse, tierDefaults } from './tier-defaults.ts';

// The tier starts everything it uses on the tests' own ports, whatever lab E2E_TARGET names (the
// compose stack's Inspector would hold the port of the Inspectors these tests start).
process.env.E2E_TARGET = 'native';

/**
 * The providers tier, between the unit and the shared-Keycloak tier in `npm test`: the tutorial's
 * "OIDC" and "OAuth 2" tabs against the lab's own authorization servers (lab/providers/), which
 * need no Keycloak. Their metadata, registration, sign-in and user endpoints; both checkpoints for
 * both SDKs and both transports through the MCP SDK's client; the real Inspector through
 * checkpoint 2. Global setup starts the servers in about a second.
 */
export default defineConfig({
  testDir: './providers',
  globalSetup: './providers-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  ...tierDefaults,
  reporter: [['list'], ['json', { outputFile: '../test-reports/providers.json' }]],
  outputDir: '../test-results/providers',
  use: browserUse,
  // The Inspector tests first: they take longest and take turns on one port, and the other worker
  // runs the rest meanwhile (a project's tests are queued before the next project's).
  projects: [
    { name: 'inspector', testMatch: 'provider-inspector.spec.ts' },
    { name: 'rest', testIgnore: 'provider-inspector.spec.ts' },
  ],
});
