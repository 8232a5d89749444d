import { defineConfig } from '@playwright/test';
import { composeDefaults } from '../core/config.ts';
import { browserUse, tierDefaults } from './tier-defaults.ts';
import { chooseTargetWhenUnset, e2eTarget, testLabConfig, type E2eTarget } from './test-target.ts';

chooseTargetWhenUnset(testLabConfig().keycloak.image);
const target = e2eTarget();

/**
 * The room tier (`npm run test:room`): what starts labs and Keycloaks of its own, needs root
 * (network namespaces: a student's laptop, a room without internet), the network (the first
 * download) or a Docker engine (the compose stack). CI runs it as root beside `npm test`.
 */
const forTarget: Record<E2eTarget, Record<string, string>> = {
  native: {
    'compose-stack': 'tests the docker compose topology (E2E_TARGET=compose)',
    'compose-classroom': 'tests the docker compose stack published for a classroom (E2E_TARGET=compose)',
    'compose-providers': 'tests the docker compose stack playing the OIDC and OAuth 2 tabs (E2E_TARGET=compose)',
  },
  testcontainers: {
    'compose-stack': 'tests the docker compose topology (E2E_TARGET=compose)',
    'compose-classroom': 'tests the docker compose stack published for a classroom (E2E_TARGET=compose)',
    'compose-providers': 'tests the docker compose stack playing the OIDC and OAuth 2 tabs (E2E_TARGET=compose)',
    'lab-cli': 'tests the native `lab up`, which the native target runs',
    'classroom-network': 'tests a classroom `lab up`, which the native target runs',
    'keycloak-download': "tests the native distribution's download, which the native target runs",
    'offline-classroom': 'tests the native lab in a room without internet, which the native target runs',
    'lab-init': 'tests `lab init` and `lab check` on this machine, which the native target runs',
  },
  compose: {
    'lab-cli': 'tests the native `lab up`, which the native target runs',
    'classroom-network': 'tests a classroom `lab up`, which the native target runs',
    'keycloak-download': "tests the native distribution's download, which the native target runs",
    'offline-classroom': 'tests the native lab in a room without internet, which the native target runs',
    'lab-init': 'tests `lab init` and `lab check` on this machine, which the native target runs',
  },
};
/** The lab's own machinery, the same on every Keycloak: tested on the tutorial's version only. */
const tutorialVersionOnly: Record<string, string> =
  testLabConfig().keycloak.version === composeDefaults.KEYCLOAK_VERSION
    ? {}
    : {
        'offline-classroom': `tests \`lab prefetch\` and an offline room, which the run on the tutorial's Keycloak (${composeDefaults.KEYCLOAK_VERSION}) covers`,
        'keycloak-download': `tests the distribution's download (from an empty Maven repository), which the run on the tutorial's Keycloak (${composeDefaults.KEYCLOAK_VERSION}) covers`,
        'lab-init': `tests \`lab init\`, which needs no Keycloak; the run on the tutorial's Keycloak (${composeDefaults.KEYCLOAK_VERSION}) covers it`,
      };
const ignored: Record<string, string> = { ...tutorialVersionOnly, ...forTarget[target] };
if (!process.env.TEST_WORKER_INDEX) {
  for (const [spec, why] of Object.entries(ignored)) console.log(`[e2e room] ${target}: leaving out ${spec}.spec.ts — ${why}`);
}

export default defineConfig({
  testDir: './room',
  testIgnore: Object.keys(ignored).map((spec) => `**/${spec}.spec.ts`),
  // No shared Keycloak: each spec starts the lab it tests. The compose stack is checked to answer.
  globalSetup: './room-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  ...tierDefaults,
  reporter: [['list'], ['json', { outputFile: '../test-reports/room.json' }]],
  outputDir: '../test-results/room',
  use: browserUse,
});
