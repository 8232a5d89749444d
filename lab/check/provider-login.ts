/**
 * The sign-in at the tab's authorization server, as a person does it: its login page, its consent
 * page, and the authorization code it sends back. `lab check` and the tests use it, so the lab has
 * one login. Each provider's pages are described once, in `loginPages`; every function takes the
 * provider's kind and defaults to Keycloak's (the tutorial's tab).
 */
import type { Locator, Page } from 'playwright';
import type { ProviderKind } from '../../core/config.ts';
import { inLocale, locales, type Locale } from '../../core/messages.ts';

export interface Credentials {
  username: string;
  password: string;
}

/** The words on a login and consent page a browser finds its fields and buttons by. */
export interface LoginLabels {
  /** The labels of the login form's fields, and its button. */
  username: string;
  password: string;
  submit: string;
  /** The consent page's button that grants the client access. */
  consentButton: string;
}

/** What a browser meets at an authorization server, by role and name (as keycloak-js's tests find them). */
export interface LoginPages extends LoginLabels {
  /** How messages name the server at the start of a sentence. */
  name: string;
  /** The login page's heading (in every language the pages speak). */
  heading: string | RegExp;
  /** The heading is plain text, not a heading element (Logto's sign-in page). */
  headingIsText?: boolean;
  /** CSS selectors for fields that have no accessible name (Logto's): the labels are then only for messages. */
  usernameField?: string;
  passwordField?: string;
  /** Where the login page says no (a wrong password): a CSS selector. */
  refusal: string;
  /**
   * The labels in the other languages the pages may speak, by language tag (`zh`: zh-CN, zh-Hans):
   * a field or button is found by its label in any of them. Without any, the pages speak English only.
   */
  translations?: Readonly<Record<string, Readonly<LoginLabels>>>;
  /** The authorization endpoint's path, below the issuer (RFC 6749 §3.1). */
  authorizationPath: string;
  /** Where, below the issuer, the browser sees the login page: the authorization endpoint itself, or where it redirects. */
  loginPagePath: string;
  /** The login page is on the issuer's origin, not below the issuer (Logto's /sign-in beside /oidc). */
  loginPageOnOrigin?: boolean;
}

/** The lab's own authorization server's words in `locale` (its catalogue, core/messages/<locale>/providers.json). */
function labAuthServerLabels(locale: Locale): LoginLabels {
  return {
    username: inLocale(locale, 'providers.sign-in.username'),
    password: inLocale(locale, 'providers.sign-in.password'),
    submit: inLocale(locale, 'providers.sign-in.submit'),
    consentButton: inLocale(locale, 'providers.consent.allow'),
  };
}

/**
 * The lab's own authorization server plays both the OIDC and the OAuth 2 tab, with one set of pages
 * (lab/providers/interactions.ts). Its authorization endpoint redirects to them. They speak the
 * browser's language when it is English or Chinese, else the server's (LAB_LOCALE): in Chinese
 * "登录 MCP Auth Lab", 用户名, 密码, 登录; 允许.
 */
const labAuthServerPages = {
  heading: new RegExp(
    locales.map((locale) => inLocale(locale, 'providers.sign-in.heading').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  ),
  ...labAuthServerLabels('en'),
  refusal: '[role="alert"]',
  translations: { zh: labAuthServerLabels('zh-CN') },
  authorizationPath: '/auth',
  loginPagePath: '/interaction/',
} as const satisfies Omit<LoginPages, 'name'>;

export const loginPages: Readonly<Record<ProviderKind, Readonly<LoginPages>>> = Object.freeze({
  keycloak: {
    name: 'Keycloak',
    // In Chinese with LAB_LOCALE=zh-CN: the lab's realm then has zh-CN as its default locale
    // (provisioning/ensure-realm.ts); the same words on Keycloak 26.2 to 26.7.
    heading: /sign in to your account|登录到您的账户/i,
    username: 'Username or email',
    password: 'Password',
    submit: 'Sign In',
    // Its feedback on the login page: a wrong password, a locked or disabled account.
    refusal: '#input-error, .kc-feedback-text, [class*="alert-error"]',
    consentButton: 'Yes',
    translations: { zh: { username: '用户名 或 电子邮箱地址', password: '密码', submit: '登录', consentButton: '是' } },
    authorizationPath: '/protocol/openid-connect/auth',
    loginPagePath: '/protocol/openid-connect/auth?',
  },
  oidc: { name: 'The OIDC provider', ...labAuthServerPages },
  oauth: { name: 'The OAuth 2.0 server', ...labAuthServerPages },
  // Logto's sign-in experience (its `experience` app): the form's fields have no accessible names.
  logto: {
    name: 'Logto',
    heading: 'Sign in to your account',
    headingIsText: true,
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    usernameField: 'input[name="identifier"]',
    passwordField: 'input[name="password"]',
    // "Incorrect account or password. Please check your input."
    refusal: '[role="alert"]',
    // Only third-party applications see consent; the tab's Single-page application does not.
    consentButton: 'Authorize',
    authorizationPath: '/auth',
    loginPagePath: '/sign-in',
    loginPageOnOrigin: true,
  },
});

/** The login page's heading, by role where the page has one. */
export function loginHeading(page: Page, pages: LoginPages): Locator {
  return pages.headingIsText ? page.getByText(pages.heading, { exact: true }) : page.getByRole('heading', { name: pages.heading });
}

/** Where the browser lands for the login page, as the start of its URL. */
export function loginPageUrl(pages: LoginPages, issuer: string): string {
  return (pages.loginPageOnOrigin ? new URL(issuer).origin : issuer) + pages.loginPagePath;
}

/**
 * The language `lab check` asks the authorization server's pages in (the browser's Accept-Language,
 * which Keycloak puts before its realm's default): English, so that what a page says (a refused
 * password: "Invalid username or password.") is the same in `--json` whatever the learner reads.
 * A page in another language is signed in on all the same (`byLabel`). The lab's own authorization
 * servers and Logto choose by the browser's language too.
 */
export const signInLocale = 'en-US';

/**
 * What `locate` finds by the pages' label `key` in any language they speak: a page in English or in
 * Chinese (a realm with zh-CN as its default, a learner's browser asking for it) is signed in alike.
 */
function byLabel(pages: LoginPages, key: keyof LoginLabels, locate: (label: string, translated: boolean) => Locator): Locator {
  return Object.values(pages.translations ?? {}).reduce((found, labels) => found.or(locate(labels[key], true)), locate(pages[key], false));
}

/** The login page said no (its own message, e.g. "Invalid username or password."). */
export class LoginRefusedError extends Error {
  override name = 'LoginRefusedError';
}

export interface SignInOptions {
  /** Whose pages these are; Keycloak's unless told. */
  provider?: ProviderKind;
  timeoutMs?: number;
}

/** Fills the provider's login form the way a person does (role locators, as keycloak-js's tests do). */
export async function signIn(
  page: Page,
  { username, password }: Credentials,
  { provider = 'keycloak', timeoutMs = 15_000 }: SignInOptions = {},
): Promise<void> {
  const pages = loginPages[provider];
  await loginHeading(page, pages).waitFor({ timeout: timeoutMs });
  const field = (selector: string | undefined, key: 'username' | 'password') =>
    selector ? page.locator(selector) : byLabel(pages, key, (name) => page.getByRole('textbox', { name }));
  await field(pages.usernameField, 'username').fill(username);
  await field(pages.passwordField, 'password').fill(password);
  await byLabel(pages, 'submit', (name) => page.getByRole('button', { name, exact: true })).click();
}

/**
 * Opens `authorizationUrl` (the provider's login page), signs in, and returns the authorization
 * code the provider sends to `redirectUri`. Nothing listens there: the code is read from the
 * browser's request, the way a native app's loopback redirect would read it. A refused sign-in
 * throws LoginRefusedError with the provider's message.
 */
export async function signInAndCaptureCode(
  page: Page,
  authorizationUrl: URL,
  redirectUri: string,
  credentials: Credentials,
  options: SignInOptions & { consent?: boolean } = {},
): Promise<string> {
  const redirected = await signInAndCaptureRedirect(page, authorizationUrl, redirectUri, credentials, options);
  return redirected.searchParams.get('code')!;
}

/**
 * The same sign-in, returning the whole redirect (its code, and `iss`, which the MCP SDK 2.x
 * client checks: RFC 9207). A redirect with an `error` throws with the provider's description.
 */
export async function signInAndCaptureRedirect(
  page: Page,
  authorizationUrl: URL,
  redirectUri: string,
  credentials: Credentials,
  { provider = 'keycloak', timeoutMs = 30_000, consent = false }: SignInOptions & { consent?: boolean } = {},
): Promise<URL> {
  const pages = loginPages[provider];
  // The provider's 302 is followed inside the browser, where no route sees it: the request to the
  // redirect URI is seen here and fails (nothing listens). Online, Chromium reloads that error
  // page, and the route answers the reload; offline (a room without internet) it never does.
  let redirectedTo: URL | undefined;
  const redirected = new Promise<URL>((resolve) => {
    page.on('request', (request) => {
      if (!request.url().startsWith(redirectUri)) return;
      redirectedTo = new URL(request.url());
      resolve(redirectedTo);
    });
  });
  await page.route(`${redirectUri}**`, (route) =>
    route.fulfill({ contentType: 'text/plain', body: 'Authorization code received; you can close this page.' }),
  );
  // A provider may send the browser back at once, with no page of its own: a refusal (Logto: an
  // unknown `resource`), or a session it already has. The navigation then ends at the redirect URI.
  await page.goto(authorizationUrl.href).catch((error: unknown) => {
    if (!redirectedTo) throw error;
  });
  const outcome = redirectedTo ?? (await signInAndAwaitRedirect(page, credentials, { provider, timeoutMs, consent }, redirected));
  if (outcome instanceof LoginRefusedError) throw outcome;
  const error = outcome.searchParams.get('error');
  if (error) throw new Error(`${pages.name} redirected with error=${error}: ${outcome.searchParams.get('error_description') ?? ''}`);
  if (!outcome.searchParams.get('code')) throw new Error(`${pages.name} redirected to ${outcome.href} without a code`);
  return outcome;
}

/** The login page filled in (and consent granted), then where the provider sends the browser, or its refusal. */
async function signInAndAwaitRedirect(
  page: Page,
  credentials: Credentials,
  { provider, timeoutMs, consent }: { provider: ProviderKind; timeoutMs: number; consent: boolean },
  redirected: Promise<URL>,
): Promise<URL | LoginRefusedError> {
  await signIn(page, credentials, { provider });
  if (consent) await grantConsent(page, { provider, timeoutMs });
  const refusal = page.locator(loginPages[provider].refusal).first();
  return Promise.race([
    redirected,
    refusal.waitFor({ timeout: timeoutMs }).then(async () => new LoginRefusedError((await refusal.innerText()).trim())),
  ]);
}

/**
 * The provider's consent page, in front of every client that registered itself. Keycloak's: "Grant
 * Access to <client>" › Yes, from its anonymous "Consent Required" policy, whenever the login asks
 * for a scope shown on the screen (offline_access, profile, a metadata document's host name). The
 * lab's own server's: "Authorize <client>" › Allow (its pre-registered `mcp-inspector` skips it).
 */
export async function grantConsent(page: Page, { provider = 'keycloak', timeoutMs = 15_000 }: SignInOptions = {}): Promise<void> {
  const allow = byLabel(loginPages[provider], 'consentButton', (name, translated) => page.getByRole('button', { name, exact: translated }));
  await allow.waitFor({ timeout: timeoutMs });
  await allow.click();
}
