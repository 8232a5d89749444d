import type { Page } from '@playwright/test';
import type { ClientIdentity } from './in-memory-oauth-provider.ts';
import type { Credentials } from './provider-login.ts';
import { lab, type Transport } from './lab.ts';
import { loginAndConnect } from './sdk-login.ts';

export { callWhoami } from './sdk-login.ts';

/**
 * Checkpoint 2 by the MCP SDK's client against a whoami server of this test run (loginAndConnect),
 * as the tutorial's pre-registered client unless told otherwise.
 */
export function connectAfterLogin(
  page: Page,
  {
    transport,
    credentials,
    serverUrl = lab.whoamiUrl,
    identity = { clientId: lab.client.id },
    consent = false,
  }: {
    transport: Transport;
    credentials: Credentials;
    serverUrl?: string;
    identity?: ClientIdentity;
    /** Keycloak asks registered clients' users for consent (its Consent Required policy). */
    consent?: boolean;
  },
) {
  return loginAndConnect(page, {
    serverUrl,
    transport,
    credentials,
    consent,
    oauthClient: { identity, scope: lab.client.scope, redirectUri: lab.client.testRedirectUri },
  });
}
