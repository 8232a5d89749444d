/**
 * The room tier's setup: its specs start the labs they test, so there is nothing to start. Natively,
 * the Keycloak distribution they copy is fetched once here, before specs in parallel would each
 * download it into the same cache. For E2E_TARGET=compose they test the stack `docker compose up`
 * started: check that it answers first.
 */
import type { FullConfig } from '@playwright/test';
import { ensureKeycloakDistribution } from '../lab/keycloak/keycloak-distribution.ts';
import { useComposeStack } from './global-setup.ts';
import { e2eTarget, testLabConfig } from './test-target.ts';

export default async function roomSetup(_: FullConfig): Promise<() => Promise<void>> {
  const config = testLabConfig();
  if (e2eTarget() === 'compose') return useComposeStack(config);
  if (e2eTarget() === 'native')
    await ensureKeycloakDistribution(config.keycloak.version, config.cacheDir, { keycloakHome: config.keycloak.home });
  return async () => {};
}
