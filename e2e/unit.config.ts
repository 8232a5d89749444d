import { defineConfig } from '@playwright/test';

/**
 * The unit tier: the lab's pure parts (settings, versions, diagnoses, error tables, rosters, the
 * progress formatter, the drift report, the CLI's refusals) with no Keycloak, no browser and no
 * server of the lab's. Seconds; the first part of `npm test`.
 */
export default defineConfig({
  testDir: './unit',
  testMatch: '**/*.test.ts',
  timeout: 15_000,
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  failOnFlakyTests: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: '../test-reports/unit.json' }]],
  outputDir: '../test-results/unit',
});
