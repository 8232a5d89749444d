/**
 * What the tests run against (E2E_TARGET), and the ports of the lab they start. Imported first
 * by playwright.config.ts, so lab/config.ts reads these everywhere.
 *
 *   native          (default) Keycloak from its distribution; provisioning and the whoami server
 *                   as processes on this machine
 *   testcontainers  Keycloak in a container (KEYCLOAK_IMAGE_REPOSITORY:KEYCLOAK_VERSION); the
 *                   rest as for native
 *   compose         the docker compose stack, already up (`docker compose up -d`), on the lab's
 *                   own ports; the whoami server is the one in its container
 *
 * native and testcontainers use ports away from a learner's lab on the default ones, so both can
 * run at once.
 */
export type E2eTarget = 'native' | 'testcontainers' | 'compose';

const targets: readonly E2eTarget[] = ['native', 'testcontainers', 'compose'];

export function e2eTarget(): E2eTarget {
  const raw = process.env.E2E_TARGET || 'native';
  if (!(targets as readonly string[]).includes(raw)) {
    throw new Error(`E2E_TARGET must be one of ${targets.join(', ')}; got "${raw}"`);
  }
  return raw as E2eTarget;
}

const testDefaults: Record<string, string> = e2eTarget() === 'compose'
  ? {}
  : { KEYCLOAK_PORT: '8180', KEYCLOAK_MANAGEMENT_PORT: '9180', WHOAMI_PORT: '3181', INSPECTOR_PORT: '6374', KEYCLOAK_INSTANCE: 'e2e' };

for (const [name, value] of Object.entries(testDefaults)) {
  process.env[name] ??= value;
}
