/**
 * Ports for the lab the tests start, away from a learner's lab on the default ports so both can
 * run at once. Imported first by playwright.config.ts, so lab/config.ts reads these everywhere.
 * Compose runs set E2E_TARGET=compose and keep the lab's own ports.
 */
const testDefaults: Record<string, string> = process.env.E2E_TARGET === 'compose'
  ? {}
  : { KEYCLOAK_PORT: '8180', KEYCLOAK_MANAGEMENT_PORT: '9180', WHOAMI_PORT: '3181', INSPECTOR_PORT: '6374', KEYCLOAK_INSTANCE: 'e2e' };

for (const [name, value] of Object.entries(testDefaults)) {
  process.env[name] ??= value;
}
