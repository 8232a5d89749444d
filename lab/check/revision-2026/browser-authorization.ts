/**
 * Sign-in and step-up for `lab check --revision 2026-07-28`, through the MCP SDK 2.x client
 * (`@modelcontextprotocol/client`): the SDK 1.x client cannot step up (it asks for the challenged
 * scope instead of adding it to the ones it has). The SDK decides what to ask for; each time it
 * sends the user to Keycloak, a headless Chromium page signs in there (or passes through the
 * session it already has) and the redirect is kept for the SDK to finish with.
 */
import {
  auth,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import type { Page } from 'playwright';
import { signInAndCaptureRedirect, type Credentials } from '../provider-login.ts';

export interface BrowserAuthorizationOptions {
  /** The pre-registered public client (the lab's `mcp-inspector`). */
  clientId: string;
  redirectUri: string;
  /** The page that meets Keycloak's login page, and the user who signs in on it. */
  page: Page;
  credentials: Credentials;
}

/** The SDK 2.x client's OAuth hooks, kept in memory; the redirect to Keycloak goes to a browser page. */
export class BrowserAuthorization implements OAuthClientProvider {
  private readonly options: BrowserAuthorizationOptions;
  private savedTokens: OAuthTokens | undefined;
  private savedCodeVerifier: string | undefined;
  private savedDiscovery: OAuthDiscoveryState | undefined;
  private redirect: URLSearchParams | undefined;
  /** Every authorization request the SDK made, in order: what it asked Keycloak for. */
  readonly authorizations: URL[] = [];

  constructor(options: BrowserAuthorizationOptions) {
    this.options = options;
  }

  get redirectUrl(): string {
    return this.options.redirectUri;
  }

  /**
   * Without `refresh_token` here: with it the SDK adds offline_access (Keycloak lists it) and
   * prompt=consent to every request, and after an offline token Keycloak 26.2.4 shows its login
   * page again on the next authorization instead of passing the session through — as the lab's
   * Inspector, which asks for no refresh token either. Keycloak still issues one to `mcp-inspector`.
   */
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'lab check',
      redirect_uris: [this.options.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation(): OAuthClientInformationMixed {
    return { client_id: this.options.clientId };
  }

  tokens(): OAuthTokens | undefined {
    return this.savedTokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.savedTokens = tokens;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.savedCodeVerifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.savedCodeVerifier) throw new Error('No PKCE code verifier saved: the authorization flow was not started');
    return this.savedCodeVerifier;
  }

  // What the SDK found out before sending the user away (SEP-2352), for when they come back.
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.savedDiscovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.savedDiscovery;
  }

  /** The user at Keycloak, in the page: signed in (or passed through), the redirect kept. */
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    this.authorizations.push(authorizationUrl);
    const { page, redirectUri, credentials } = this.options;
    this.redirect = (await signInAndCaptureRedirect(page, authorizationUrl, redirectUri, credentials)).searchParams;
  }

  /** The last redirect's parameters (code, iss), once: what `finishAuth` takes. */
  takeRedirect(): URLSearchParams {
    const redirect = this.redirect;
    this.redirect = undefined;
    if (!redirect) throw new Error('the MCP SDK sent nobody to sign in');
    return redirect;
  }

  /** The scopes the last token holds, as Keycloak said. */
  grantedScopes(): string[] {
    return (this.savedTokens?.scope ?? '').split(' ').filter(Boolean);
  }
}

/**
 * What the SDK 2.x client does on a 401: it reads the challenge's `resource_metadata` and `scope`,
 * finds Keycloak through the server's metadata, sends the user there and redeems the code for a
 * token bound to the server (`resource`). Returns the access token.
 */
export async function signInThroughServer(
  provider: BrowserAuthorization,
  serverEndpoint: URL,
  challenge: { resourceMetadataUrl: string | undefined; scope: string | undefined },
): Promise<string> {
  const asked = {
    serverUrl: serverEndpoint,
    ...(challenge.resourceMetadataUrl ? { resourceMetadataUrl: new URL(challenge.resourceMetadataUrl) } : {}),
    ...(challenge.scope ? { scope: challenge.scope } : {}),
  };
  if ((await auth(provider, asked)) === 'REDIRECT') {
    const redirect = provider.takeRedirect();
    const iss = redirect.get('iss');
    await auth(provider, { ...asked, authorizationCode: redirect.get('code') ?? '', ...(iss ? { iss } : {}) });
  }
  const token = provider.tokens()?.access_token;
  if (!token) throw new Error('the MCP SDK got no token');
  return token;
}
