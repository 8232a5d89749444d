import { readdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { composeDefaults } from '../core/config.ts';
import { chromiumLaunchOptions } from '../lab/chromium.ts';
import { chooseTargetWhenUnset, e2eTarget, testLabConfig } from './test-target.ts';

chooseTargetWhenUnset(testLabConfig().keycloak.image);
const target = e2eTarget();

/**
 * Specs that do not apply to every target, and why; the run prints which it leaves out. The compose
 * stack runs one whoami server (tutorial mode) and its own Inspector, so the specs that start
 * servers or an Inspector of their own, or need the spec-mode server, run natively.
 */
const leftOut: Record<string, Record<string, string>> = {
  native: {
    'compose-stack': 'tests the docker compose topology (E2E_TARGET=compose)',
    'compose-classroom': 'tests the docker compose stack published for a classroom (E2E_TARGET=compose)',
  },
  testcontainers: {
    'compose-stack': 'tests the docker compose topology (E2E_TARGET=compose)',
    'compose-classroom': 'tests the docker compose stack published for a classroom (E2E_TARGET=compose)',
    'lab-cli': 'tests the native `lab up`, which the native target runs',
    'classroom-network': 'tests a classroom `lab up`, which the native target runs',
    'keycloak-download': 'tests the native distribution\'s download, which the native target runs',
    'offline-classroom': 'tests the native lab in a room without internet, which the native target runs',
    'registration-profiles': 'clients registering themselves: Keycloak in a container sees them come from the Docker bridge, not from a trusted host; the native target runs it',
    'resource-indicators': 'registers clients of its own (the same reason); the native target runs it',
    'doctor': 'its dynamic-registration checks register a client (the same reason); the native target runs it',
  },
  compose: {
    'lab-cli': 'tests the native `lab up`, which the native target runs',
    'classroom-network': 'tests a classroom `lab up`, which the native target runs',
    'keycloak-download': 'tests the native distribution\'s download, which the native target runs',
    'offline-classroom': 'tests the native lab in a room without internet, which the native target runs',
    'failure-matrix': 'needs the spec-mode server, which the stack does not run',
    'keycloak-down': 'starts whoami servers of its own behind a proxy',
    'doctor': 'starts a whoami server of its own',
    'registration-profiles': 'starts whoami servers and Inspectors of its own',
    'resource-indicators': 'starts a whoami server (and on 26.6+ a Keycloak) of its own',
    'inspector-checkpoints': 'starts Inspectors of its own on the tests\' port',
    'inspector-cli': 'needs the CLI callback registered for the tests\' ports',
  },
};
/**
 * Named parts of the suite (E2E_SUBSET), for runs that need not repeat everything: CI's run at a
 * Keycloak feature boundary checks only what changes between versions.
 */
const subsets: Record<string, { specs: string[]; why: string }> = {
  profiles: {
    specs: ['registration-profiles', 'resource-indicators', 'doctor', 'provisioning', 'checkpoint-1-unauthenticated', 'checkpoint-2-whoami', 'inspector-checkpoints'],
    why: 'a run at a Keycloak feature boundary checks what changes between versions; the whole suite runs on 26.2.4 and the newest 26.x',
  },
};
const subsetName = process.env.E2E_SUBSET;
const subset = subsetName ? subsets[subsetName] : undefined;
if (subsetName && !subset) throw new Error(`E2E_SUBSET must be one of ${Object.keys(subsets).join(', ')}; got "${subsetName}"`);
const allSpecs = readdirSync(path.join(import.meta.dirname, 'tests')).filter((file) => file.endsWith('.spec.ts')).map((file) => file.slice(0, -'.spec.ts'.length));
/** The lab's own machinery, the same on every Keycloak: tested on the tutorial's version only. */
const tutorialVersionOnly: Record<string, string> = testLabConfig().keycloak.version === composeDefaults.KEYCLOAK_VERSION ? {} : {
  'offline-classroom': `tests \`lab prefetch\` and an offline room, which the run on the tutorial's Keycloak (${composeDefaults.KEYCLOAK_VERSION}) covers`,
  'keycloak-download': `tests the distribution's download (from an empty Maven repository), which the run on the tutorial's Keycloak (${composeDefaults.KEYCLOAK_VERSION}) covers`,
};
const ignored: Record<string, string> = {
  ...tutorialVersionOnly,
  ...(subset ? Object.fromEntries(allSpecs.filter((spec) => !subset.specs.includes(spec)).map((spec) => [spec, `not in E2E_SUBSET=${subsetName}: ${subset.why}`])) : {}),
  ...leftOut[target],
};
// The runner and every worker load this file; say it once.
if (!process.env.TEST_WORKER_INDEX) {
  for (const [spec, why] of Object.entries(ignored)) console.log(`[e2e] ${target}: leaving out ${spec}.spec.ts — ${why}`);
}

export default defineConfig({
  testDir: './tests',
  testIgnore: Object.keys(ignored).map((spec) => `**/${spec}.spec.ts`),
  // One Keycloak per run, started here and shared by every test.
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  // In CI a test that fails once is run again to tell flaky from broken, and a flaky test fails
  // the run: passing on retry is not passing.
  retries: process.env.CI ? 1 : 0,
  failOnFlakyTests: !!process.env.CI,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: '../playwright-report' }],
    ['json', { outputFile: '../test-results/results.json' }],
  ],
  outputDir: '../test-results',
  use: {
    trace: 'retain-on-first-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
