import { readdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { browserUse, tierDefaults } from './tier-defaults.ts';
import { chooseTargetWhenUnset, e2eTarget, testLabConfig, type E2eTarget } from './test-target.ts';

chooseTargetWhenUnset(testLabConfig().keycloak.image);
const target = e2eTarget();

/**
 * Specs that do not apply to every target, and why; the run prints which it leaves out. The compose
 * stack runs one whoami server (tutorial mode) and its own Inspector, so the specs that start
 * servers or an Inspector of their own, or need the spec-mode server, run natively.
 */
const leftOut: Record<E2eTarget, Record<string, string>> = {
  native: {},
  testcontainers: {
    'registration-profiles':
      'clients registering themselves: Keycloak in a container sees them come from the Docker bridge, not from a trusted host; the native target runs it',
    'resource-indicators': 'registers clients of its own (the same reason); the native target runs it',
    doctor: 'its dynamic-registration checks register a client (the same reason); the native target runs it',
  },
  compose: {
    'failure-matrix': 'needs the spec-mode server, which the stack does not run',
    'keycloak-down': 'starts whoami servers of its own behind a proxy',
    doctor: 'starts a whoami server of its own',
    'registration-profiles': 'starts whoami servers and Inspectors of their own',
    'resource-indicators': 'starts a whoami server (and on 26.6+ a Keycloak) of its own',
    'inspector-checkpoints': "starts Inspectors of its own on the tests' port",
    'inspector-cli': "needs the CLI callback registered for the tests' ports",
    'sse-sessions': "starts a whoami server of its own, signed in through the failure matrix's test-only client",
    'python-spec-mode': 'starts a Python whoami server of its own',
    'step-up': 'starts a 2026-07-28 whoami server (MCP_REVISION) of its own',
    'inspector-step-up': 'starts a 2026-07-28 whoami server and an Inspector of its own',
    conformance: 'starts a 2026-07-28 whoami server of its own and needs the spec-mode server',
    'lab-check-revision': 'starts the whoami servers it checks',
    'doctor-step-up': 'starts a 2026-07-28 whoami server of its own',
    'zh-cn': "provisions a realm of its own (LAB_LOCALE=zh-CN) with a whoami server and an Inspector of its own on the tests' ports",
  },
};
/**
 * Named parts of the suite (E2E_SUBSET), for runs that need not repeat everything: CI's run at a
 * Keycloak feature boundary checks only what changes between versions, its run against a
 * Keycloak from testcontainers what a container changes, and its run on the newest Keycloak all
 * but what runs there exactly as on 26.2.4. A subset names the specs it runs, or those it leaves out.
 */
const subsets: Record<string, { why: string } & ({ specs: string[] } | { leaveOut: string[] })> = {
  profiles: {
    specs: [
      'registration-profiles',
      'resource-indicators',
      'doctor',
      'provisioning',
      'checkpoint-1-unauthenticated',
      'checkpoint-2-whoami',
      'inspector-checkpoints',
      'step-up',
      // Keycloak's zh-CN messages moved from messages_zh_CN (26.2) to messages_zh_Hans (26.5+).
      'zh-cn',
    ],
    why: 'a run at a Keycloak feature boundary checks what changes between versions; the whole suite runs on 26.2.4 and the newest 26.x',
  },
  container: {
    specs: [
      'checkpoint-1-unauthenticated',
      'checkpoint-2-whoami',
      'inspector-checkpoints',
      'inspector-cli',
      'provisioning',
      'keycloak-down',
      'dns-rebinding',
      'wrong-password',
      'sse-sessions',
    ],
    why: 'a Keycloak in a container changes how it starts and is reached (ports, provisioning, the browser, a stop); what builds on a reachable Keycloak (lab check, the classroom, the failure matrix) runs natively on the same version',
  },
};
subsets.newest = {
  leaveOut: ['lab-check-revision', 'inspector-step-up'],
  why: "they run on the run's Keycloak without resource indicators, as on 26.2.4 (lab check's 2.x sign-in and the step-up itself run on the newest in step-up.spec.ts, with resource indicators)",
};
const subsetName = process.env.E2E_SUBSET;
const subset = subsetName ? subsets[subsetName] : undefined;
if (subsetName && !subset) throw new Error(`E2E_SUBSET must be one of ${Object.keys(subsets).join(', ')}; got "${subsetName}"`);
const allSpecs = readdirSync(path.join(import.meta.dirname, 'tests'))
  .filter((file) => file.endsWith('.spec.ts'))
  .map((file) => file.slice(0, -'.spec.ts'.length));
const ignored: Record<string, string> = {
  ...(subset
    ? Object.fromEntries(
        allSpecs
          .filter((spec) => ('specs' in subset ? !subset.specs.includes(spec) : subset.leaveOut.includes(spec)))
          .map((spec) => [spec, `not in E2E_SUBSET=${subsetName}: ${subset.why}`]),
      )
    : {}),
  ...leftOut[target],
};
// The runner and every worker load this file; say it once.
if (!process.env.TEST_WORKER_INDEX) {
  for (const [spec, why] of Object.entries(ignored)) console.log(`[e2e] ${target}: leaving out ${spec}.spec.ts — ${why}`);
}

const ignoredSpecs = Object.keys(ignored).map((spec) => `**/${spec}.spec.ts`);
const walkThrough = 'inspector-checkpoints';

/**
 * The shared-Keycloak tier, the second part of `npm test`: every tutorial checkpoint, the real
 * Inspector, the failure matrix, `lab check`, provisioning and doctor against one Keycloak that
 * global setup starts for the run. Nothing here needs root, the network or a Keycloak of its own
 * (those are the room tier's, room.config.ts).
 */
export default defineConfig({
  testDir: './tests',
  // One Keycloak per run, started here and shared by every test.
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  ...tierDefaults,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: '../playwright-report' }],
    ['json', { outputFile: '../test-reports/shared.json' }],
  ],
  outputDir: '../test-results',
  use: browserUse,
  // The Inspector walk-through first: its tests take turns (one Inspector port) for half a minute,
  // and the other worker runs the rest meanwhile (a project's tests are queued before the next's).
  // A project's testIgnore replaces the top level's, so each one leaves out the ignored specs itself.
  projects: [
    { name: 'inspector', testMatch: `**/${walkThrough}.spec.ts`, testIgnore: ignoredSpecs },
    { name: 'rest', testIgnore: [...ignoredSpecs, `**/${walkThrough}.spec.ts`] },
  ],
});
