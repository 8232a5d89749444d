/**
 * What the tests run against (E2E_TARGET), and the ports of the lab they start. Imported first
 * by playwright.config.ts, so lab/config.ts reads these everywhere.
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
 * run at once.
 */
import { spawnSync } from 'node:child_process';

export type E2eTarget = 'native' | 'testcontainers' | 'compose';

const targets: readonly E2eTarget[] = ['native', 'testcontainers', 'compose'];

export function e2eTarget(): E2eTarget {
  const raw = process.env.E2E_TARGET || 'native';
  if (!(targets as readonly string[]).includes(raw)) {
    throw new Error(`E2E_TARGET must be one of ${targets.join(', ')}; got "${raw}"`);
  }
  return raw as E2eTarget;
}

/**
 * With E2E_TARGET unset: testcontainers when a Docker engine answers and already has `image`
 * (no registry is assumed reachable), the native distribution otherwise. Decided once, in the
 * runner, and passed to the workers through the environment.
 */
export function chooseTargetWhenUnset(image: string): void {
  if (process.env.E2E_TARGET) return;
  const inspected = spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 10_000 });
  process.env.E2E_TARGET = inspected.status === 0 ? 'testcontainers' : 'native';
  console.log(`[e2e] E2E_TARGET=${process.env.E2E_TARGET} (${inspected.status === 0 ? `Docker has ${image}` : `no Docker engine with ${image}`})`);
}

const testDefaults: Record<string, string> = e2eTarget() === 'compose'
  ? {}
  : { KEYCLOAK_PORT: '8180', KEYCLOAK_MANAGEMENT_PORT: '9180', WHOAMI_PORT: '3181', INSPECTOR_PORT: '6374', KEYCLOAK_INSTANCE: 'e2e' };

for (const [name, value] of Object.entries(testDefaults)) {
  process.env[name] ??= value;
}
