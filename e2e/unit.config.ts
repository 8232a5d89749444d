import { defineConfig } from '@playwright/test';
import { tierDefaults } from './tier-defaults.ts';

/**
 * The unit tier: the lab's pure parts (settings, versions, diagnoses, error tables, rosters, the
 * progress formatter, the drift report, the CLI's refusals) with no Keycloak, no browser and no
 * server of the lab's. Seconds; the first part of `npm test`.
 */
export default defineConfig({
  testDir: './unit',
  testMatch: '**/*.test.ts',
  timeout: 15_000,
  ...tierDefaults,
  reporter: [['list'], ['json', { outputFile: '../test-reports/unit.json' }]],
  outputDir: '../test-results/unit',
});
