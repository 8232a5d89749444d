/**
 * The room tier's setup: its specs start the labs they test, so there is nothing to start. For
 * E2E_TARGET=compose they test the stack `docker compose up` started: check that it answers first.
 */
import type { FullConfig } from '@playwright/test';
import { useComposeStack } from './global-setup.ts';
import { e2eTarget, testLabConfig } from './test-target.ts';

export default async function roomSetup(_: FullConfig): Promise<() => Promise<void>> {
  if (e2eTarget() === 'compose') return useComposeStack(testLabConfig());
  return async () => {};
}
