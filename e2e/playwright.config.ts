import './test-environment.ts';
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium, where it is installed; `npx playwright install` cannot download here.
const debianChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests',
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
