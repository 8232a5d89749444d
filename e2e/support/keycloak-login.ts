import { expect, type Page } from '@playwright/test';

export interface Credentials {
  username: string;
  password: string;
}

/**
 * Opens `authorizationUrl` (Keycloak's login page), signs in, and returns the authorization code
 * Keycloak sends to `redirectUri`. Nothing listens there: the navigation is caught and answered
 * here, the way a native app's loopback redirect would be.
 */
export async function signInAndCaptureCode(page: Page, authorizationUrl: URL, redirectUri: string, credentials: Credentials, { consent = false } = {}): Promise<string> {
  const redirected = new Promise<URL>((resolve) => {
    void page.route(`${redirectUri}**`, async (route) => {
      resolve(new URL(route.request().url()));
      await route.fulfill({ contentType: 'text/plain', body: 'Authorization code received; return to the test.' });
    });
  });
  await page.goto(authorizationUrl.href);
  await signIn(page, credentials);
  if (consent) await grantConsent(page);
  const callback = await redirected;
  const error = callback.searchParams.get('error');
  if (error) throw new Error(`Keycloak redirected with error=${error}: ${callback.searchParams.get('error_description') ?? ''}`);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`Keycloak redirected to ${callback.href} without a code`);
  return code;
}

/** Fills Keycloak's login form, the way a person does. */
export async function signIn(page: Page, { username, password }: Credentials): Promise<void> {
  await expect(page.getByRole('heading', { name: /sign in to your account/i })).toBeVisible();
  await page.getByRole('textbox', { name: 'Username or email' }).fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
}

/**
 * Keycloak's consent screen, which its "Consent Required" registration policy puts in front of
 * every client that registered itself: "<client> wants to access your account" › Yes.
 */
export async function grantConsent(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Yes' })).toBeVisible();
  await page.getByRole('button', { name: 'Yes' }).click();
}
