import type { Page } from '@playwright/test';
import type { Credentials } from './keycloak-login.ts';
import { lab, type Transport } from './lab.ts';
import { loginAndConnect } from './sdk-login.ts';

export { callWhoami } from './sdk-login.ts';

/** Checkpoint 2 by the MCP SDK's client against a whoami server of this test run (loginAndConnect). */
export function connectAfterLogin(page: Page, { transport, credentials, serverUrl = lab.whoamiUrl }: { transport: Transport; credentials: Credentials; serverUrl?: string }) {
  return loginAndConnect(page, {
    serverUrl,
    transport,
    credentials,
    oauthClient: { id: lab.client.id, scope: lab.client.scope, redirectUri: lab.client.testRedirectUri },
  });
}
