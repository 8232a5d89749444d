import type { PlaywrightTestConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../lab/chromium.ts';

/**
 * What every tier's configuration shares. Two workers for two cores. In CI a test that fails once
 * is run again to tell flaky from broken (the retry records a trace), and a flaky test fails the
 * run: passing on retry is not passing.
 */
export const tierDefaults = {
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  failOnFlakyTests: !!process.env.CI,
} satisfies PlaywrightTestConfig;

/** The browser tiers' `use`: Debian's Chromium (its headless shell where installed), evidence of failures. */
export const browserUse = {
  // Recording every test costs the runner and the browser CPU the tests need: CI's retry records it.
  trace: 'on-first-retry',
  screenshot: 'only-on-failure',
  launchOptions: chromiumLaunchOptions,
  reducedMotion: 'reduce',
} satisfies PlaywrightTestConfig['use'];
