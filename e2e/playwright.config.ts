import { chooseTargetWhenUnset, e2eTarget } from './test-environment.ts';
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { config } from '../lab/config.ts';

chooseTargetWhenUnset(config.keycloak.image);

/**
 * Specs that do not apply to every target: lab-cli tests the native `lab up` (whatever Keycloak the
 * suite uses), so it runs with the native target only; compose-stack tests the compose topology.
 * The compose stack runs one whoami server (tutorial mode) and its own Inspector, so the specs
 * that start servers or an Inspector of their own, or need the spec-mode server, run natively.
 */
const needsOwnServers = ['**/failure-matrix.spec.ts', '**/keycloak-down.spec.ts', '**/doctor.spec.ts', '**/inspector-*.spec.ts'];
const ignoredSpecs = {
  native: ['**/compose-stack.spec.ts'],
  testcontainers: ['**/compose-stack.spec.ts', '**/lab-cli.spec.ts'],
  compose: ['**/lab-cli.spec.ts', ...needsOwnServers],
} as const;

// Debian's Chromium, where it is installed; `npx playwright install` cannot download here.
const debianChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests',
  testIgnore: [...ignoredSpecs[e2eTarget()]],
  // One Keycloak per run, started here and shared by every test.
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]],
  outputDir: '../test-results',
  use: {
    trace: 'retain-on-first-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: existsSync(debianChromium) ? debianChromium : undefined,
      // Keep Chromium off the network it cannot reach here (it would retry, many at a time).
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
});
