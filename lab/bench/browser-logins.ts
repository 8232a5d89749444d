/**
 * Logins through Keycloak's real login form, in a real browser: the lab's one login helper
 * (signInAndCaptureCode, which `lab check` and the tests use) in Debian's Chromium. A login form is
 * a browser's job: the browser keeps the cookies, follows the redirects and submits the form as a
 * student's does, so Keycloak sees what it sees in a room, and the lab has no second login (no
 * cookie jar or HTML scraping of its own). The browser costs CPU on the same cores, the same for
 * the floor and the classroom, which are measured with it side by side.
 */
import { discoverAuthorizationServerMetadata, exchangeAuthorization, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Browser, BrowserContext } from 'playwright';
import { launchChromium } from '../chromium.ts';
import { type Credentials, signInAndCaptureCode } from '../check/provider-login.ts';

export interface LoginRequest {
  /** Where the client found the authorization server's metadata. */
  metadata: AuthorizationServerMetadata;
  issuer: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  /** RFC 8707: the MCP server the token is for (spec mode). */
  resource?: string;
}

export interface TimedLogin {
  accessToken: string | undefined;
  ms: number;
}

export class LoginBrowser {
  readonly #browser: Browser;

  private constructor(browser: Browser) {
    this.#browser = browser;
  }

  static async launch(): Promise<LoginBrowser> {
    return new LoginBrowser(await launchChromium());
  }

  /** Authorization code + PKCE through the login form in a fresh browser context; the SDK builds the request and exchanges the code. */
  async accessToken(request: LoginRequest, credentials: Credentials, context?: BrowserContext): Promise<string> {
    const ownContext = context ?? (await this.#browser.newContext());
    try {
      const page = ownContext.pages()[0] ?? (await ownContext.newPage());
      const clientInformation = { client_id: request.clientId };
      const resource = request.resource ? new URL(request.resource) : undefined;
      const { authorizationUrl, codeVerifier } = await startAuthorization(request.issuer, {
        metadata: request.metadata,
        clientInformation,
        redirectUrl: request.redirectUri,
        scope: request.scope,
        resource,
      });
      const code = await signInAndCaptureCode(page, authorizationUrl, request.redirectUri, credentials);
      const tokens = await exchangeAuthorization(request.issuer, {
        metadata: request.metadata,
        clientInformation,
        authorizationCode: code,
        codeVerifier,
        redirectUri: request.redirectUri,
        resource,
      });
      return tokens.access_token;
    } finally {
      if (!context) await ownContext.close();
    }
  }

  /**
   * Every student at once, each in a browser context of their own opened before the clock starts
   * (their browser is open already); `metadataFor` is what their MCP client does before the login
   * page. A failed login is counted, not thrown: the others go on.
   */
  async logInAtOnce(
    students: readonly Credentials[],
    metadataFor: () => Promise<LoginRequest>,
  ): Promise<{ logins: TimedLogin[]; wallMs: number }> {
    const contexts = await Promise.all(
      students.map(async () => {
        const context = await this.#browser.newContext();
        await context.newPage();
        return context;
      }),
    );
    try {
      const startedAt = performance.now();
      const logins = await Promise.all(
        students.map(async (student, index): Promise<TimedLogin> => {
          const loginStartedAt = performance.now();
          try {
            const accessToken = await this.accessToken(await metadataFor(), student, contexts[index]);
            return { accessToken, ms: performance.now() - loginStartedAt };
          } catch {
            return { accessToken: undefined, ms: performance.now() - loginStartedAt };
          }
        }),
      );
      return { logins, wallMs: performance.now() - startedAt };
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
    }
  }

  close(): Promise<void> {
    return this.#browser.close();
  }
}

/** Keycloak's metadata, from Keycloak. */
export async function keycloakMetadata(issuer: string): Promise<AuthorizationServerMetadata> {
  const metadata = await discoverAuthorizationServerMetadata(issuer);
  if (!metadata) throw new Error(`No authorization server metadata at ${issuer}`);
  return metadata;
}
