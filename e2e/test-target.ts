/**
 * What the tests run against (E2E_TARGET), and the settings of the lab they start:
 *
 *   (unset)         testcontainers when a Docker engine answers and has the Keycloak image,
 *                   native otherwise (see chooseTargetWhenUnset)
 *   native          Keycloak from its distribution; provisioning and the whoami server
 *                   as processes on this machine
 *   testcontainers  Keycloak in a container (KEYCLOAK_IMAGE_REPOSITORY:KEYCLOAK_VERSION); the
 *                   rest as for native
 *   compose         the docker compose stack, already up (`docker compose up -d`), on the lab's
 *                   own ports; the whoami server is the one in its container
 *
 * native and testcontainers use ports away from a learner's lab on the default ones, so both can
 * run at once. Nothing here changes process.env except the one decision of chooseTargetWhenUnset.
 */
import { loadConfig, type LabConfig, type Settings } from '../core/config.ts';
import { featureSince, isKeycloakAtLeast } from '../core/keycloak-versions.ts';
import { runCommandSync } from '../core/process.ts';

export type E2eTarget = 'native' | 'testcontainers' | 'compose';

const targets: readonly E2eTarget[] = ['native', 'testcontainers', 'compose'];

export function e2eTarget(env: Settings = process.env): E2eTarget {
  const raw = env.E2E_TARGET || 'native';
  if (!(targets as readonly string[]).includes(raw)) {
    throw new Error(`E2E_TARGET must be one of ${targets.join(', ')}; got "${raw}"`);
  }
  return raw as E2eTarget;
}

/** The test lab's own ports and Keycloak copy, away from a learner's lab; compose uses the stack's. */
const testDefaults: Settings = {
  KEYCLOAK_PORT: '8180',
  KEYCLOAK_MANAGEMENT_PORT: '9180',
  WHOAMI_PORT: '3181',
  INSPECTOR_PORT: '6374',
  LAB_PROGRESS_PORT: '8190',
  KEYCLOAK_INSTANCE: 'e2e',
  // The tests read the lab's English, whatever the developer's terminal speaks (LANG=zh_CN…).
  LAB_LOCALE: 'en',
};

/**
 * The lab the tests run against; settings in the environment win over the tests' defaults. One
 * Keycloak serves every test of a run, and features are chosen at its start: on a Keycloak that
 * has it, `cimd` is on, for the registration profile tests (it changes nothing for a client that
 * sends no URL as client ID). `resource-indicators` is not: with it, Keycloak refuses every
 * `resource` it does not know, i.e. every test server's; resource-indicators.spec.ts starts a
 * Keycloak of its own with it.
 */
export function testLabConfig(env: Settings = process.env): LabConfig {
  const config = loadConfig({ ...(e2eTarget(env) === 'compose' ? {} : testDefaults), ...env });
  if (env.KEYCLOAK_FEATURES || e2eTarget(env) === 'compose' || !isKeycloakAtLeast(config.keycloak.version, featureSince.cimd))
    return config;
  return loadConfig({ ...config.settings, KEYCLOAK_FEATURES: 'cimd' });
}

/**
 * With E2E_TARGET unset: testcontainers when a Docker engine answers and already has `image`
 * (no registry is assumed reachable), the native distribution otherwise. Decided once, in the
 * runner, and passed to the workers through the environment.
 */
export function chooseTargetWhenUnset(image: string): void {
  if (process.env.E2E_TARGET) return;
  const inspected = runCommandSync('docker', ['image', 'inspect', image]);
  process.env.E2E_TARGET = inspected.exitCode === 0 ? 'testcontainers' : 'native';
  console.log(
    `[e2e] E2E_TARGET=${process.env.E2E_TARGET} (${inspected.exitCode === 0 ? `Docker has ${image}` : `no Docker engine with ${image}`})`,
  );
}
