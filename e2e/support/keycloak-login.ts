import type { Page } from '@playwright/test';

export interface Credentials {
  username: string;
  password: string;
}

/**
 * Opens `authorizationUrl` (Keycloak's login page), signs in, and returns the authorization code
 * Keycloak sends to `redirectUri`. Nothing listens there: the navigation is caught and answered
 * here, the way a native app's loopback redirect would be.
 */
export async function signInAndCaptureCode(page: Page, authorizationUrl: URL, redirectUri: string, credentials: Credentials): Promise<string> {
  const redirected = new Promise<URL>((resolve) => {
    void page.route(`${redirectUri}**`, async (route) => {
      resolve(new URL(route.request().url()));
      await route.fulfill({ contentType: 'text/plain', body: 'Authorization code received; return to the test.' });
    });
  });
  await page.goto(authorizationUrl.href);
  await signIn(page, credentials);
  const callback = await redirected;
  const error = callback.searchParams.get('error');
  if (error) throw new Error(`Keycloak redirected with error=${error}: ${callback.searchParams.get('error_description') ?? ''}`);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`Keycloak redirected to ${callback.href} without a code`);
  return code;
}

/**
 * Fills Keycloak's login form, the way a person does. Usable outside the test runner too (a
 * student's browser in another network namespace, see on-the-laptop.ts), so no `expect` here.
 */
export async function signIn(page: Page, { username, password }: Credentials): Promise<void> {
  await page.getByRole('heading', { name: /sign in to your account/i }).waitFor({ timeout: 15_000 });
  await page.getByRole('textbox', { name: 'Username or email' }).fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
}
