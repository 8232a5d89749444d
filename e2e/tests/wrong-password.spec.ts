import { expect, test } from '../support/fixtures.ts';
import { InMemoryOAuthClientProvider } from '../support/in-memory-oauth-provider.ts';
import { signIn } from '../support/provider-login.ts';
import { lab } from '../support/lab.ts';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';

test("a wrong password gets Keycloak's error and no authorization code", async ({ page }) => {
  const provider = new InMemoryOAuthClientProvider({
    identity: { clientId: lab.client.id },
    scope: lab.client.scope,
    redirectUri: lab.client.testRedirectUri,
  });
  expect(await auth(provider, { serverUrl: `${lab.whoamiUrl}/mcp` })).toBe('REDIRECT');
  let redirectedWithCode = false;
  // Seen as a request: Keycloak's redirect is followed inside the browser, where no route sees it.
  page.on('request', (request) => {
    if (request.url().startsWith(lab.client.testRedirectUri)) redirectedWithCode = true;
  });

  await page.goto(provider.authorizationUrl!.href);
  await signIn(page, { username: lab.user.username, password: 'not-the-password' });

  await expect(page.getByText('Invalid username or password.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Password' })).toBeEmpty();
  expect(redirectedWithCode).toBe(false);
  expect(provider.tokens()).toBeUndefined();
});
