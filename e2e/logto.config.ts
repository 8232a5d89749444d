import { defineConfig } from '@playwright/test';
import { browserUse, tierDefaults } from './tier-defaults.ts';

// The tier starts everything it uses on the tests' own ports.
process.env.E2E_TARGET = 'native';

/**
 * The Logto tier (`npm run test:logto`): the tutorial's Logto tab against a real Logto built from
 * source (`npm run lab -- logto build`, once; global setup never builds), with a PostgreSQL of its
 * own. The oidc-provider behaviour the lab relies on, provisioning, both checkpoints for both SDKs
 * and both transports, spec mode, the real Inspector on Logto's sign-in page, `lab check`.
 */
export default defineConfig({
  testDir: './logto',
  globalSetup: './logto-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  ...tierDefaults,
  reporter: [['list'], ['json', { outputFile: '../test-reports/logto.json' }]],
  outputDir: '../test-results/logto',
  use: browserUse,
  // The Inspector tests first: they take longest and take turns on one port.
  projects: [
    { name: 'inspector', testMatch: 'logto-inspector.spec.ts' },
    { name: 'rest', testIgnore: 'logto-inspector.spec.ts' },
  ],
});
