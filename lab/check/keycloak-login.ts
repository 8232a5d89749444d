import type { Page } from 'playwright';

export interface Credentials {
  username: string;
  password: string;
}

/** Keycloak's login page said no (its own message, e.g. "Invalid username or password."). */
export class LoginRefusedError extends Error {
  override name = 'LoginRefusedError';
}

/** Fills Keycloak's login form the way a person does (role locators, as keycloak-js's tests do). */
export async function signIn(page: Page, { username, password }: Credentials, timeoutMs = 15_000): Promise<void> {
  await page.getByRole('heading', { name: /sign in to your account/i }).waitFor({ timeout: timeoutMs });
  await page.getByRole('textbox', { name: 'Username or email' }).fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
}

/**
 * Opens `authorizationUrl` (Keycloak's login page), signs in, and returns the authorization code
 * Keycloak sends to `redirectUri`. Nothing listens there: the code is read from the browser's
 * request, the way a native app's loopback redirect would read it. A refused sign-in throws
 * LoginRefusedError with Keycloak's message.
 */
export async function signInAndCaptureCode(
  page: Page,
  authorizationUrl: URL,
  redirectUri: string,
  credentials: Credentials,
  { timeoutMs = 30_000, consent = false }: { timeoutMs?: number; consent?: boolean } = {},
): Promise<string> {
  // Keycloak's 302 is followed inside the browser, where no route sees it: the request to the
  // redirect URI is seen here and fails (nothing listens). Online, Chromium reloads that error
  // page, and the route answers the reload; offline (a room without internet) it never does.
  const redirected = new Promise<URL>((resolve) => {
    page.on('request', (request) => {
      if (request.url().startsWith(redirectUri)) resolve(new URL(request.url()));
    });
  });
  await page.route(`${redirectUri}**`, (route) =>
    route.fulfill({ contentType: 'text/plain', body: 'Authorization code received; you can close this page.' }),
  );
  await page.goto(authorizationUrl.href);
  await signIn(page, credentials);
  if (consent) await grantConsent(page, timeoutMs);
  // Keycloak's feedback on the login page (wrong password, locked or disabled account).
  const refusal = page.locator('#input-error, .kc-feedback-text, [class*="alert-error"]').first();
  const outcome = await Promise.race([
    redirected,
    refusal.waitFor({ timeout: timeoutMs }).then(async () => new LoginRefusedError((await refusal.innerText()).trim())),
  ]);
  if (outcome instanceof LoginRefusedError) throw outcome;
  const error = outcome.searchParams.get('error');
  if (error) throw new Error(`Keycloak redirected with error=${error}: ${outcome.searchParams.get('error_description') ?? ''}`);
  const code = outcome.searchParams.get('code');
  if (!code) throw new Error(`Keycloak redirected to ${outcome.href} without a code`);
  return code;
}

/**
 * Keycloak's consent screen ("Grant Access to <client>" › Yes), which its anonymous "Consent
 * Required" policy puts in front of every client that registered itself, whenever the login asks
 * for a scope shown on the screen (offline_access, profile, a metadata document's host name).
 */
export async function grantConsent(page: Page, timeoutMs = 15_000): Promise<void> {
  const yes = page.getByRole('button', { name: 'Yes' });
  await yes.waitFor({ timeout: timeoutMs });
  await yes.click();
}
