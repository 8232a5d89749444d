import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * The MCP SDK's client-side OAuth hooks, kept in memory, for a pre-registered public client
 * (Keycloak's dynamic registration is not used, as in the tutorial). Instead of opening a
 * browser, `redirectToAuthorization` records the URL; the test drives the login with Playwright.
 */
export class InMemoryOAuthClientProvider implements OAuthClientProvider {
  private readonly clientId: string;
  private readonly scope: string;
  private readonly redirectUri: string;
  private savedTokens: OAuthTokens | undefined;
  private savedCodeVerifier: string | undefined;
  /** Set when the SDK wants the user to log in. */
  authorizationUrl: URL | undefined;

  constructor({ clientId, scope, redirectUri }: { clientId: string; scope: string; redirectUri: string }) {
    this.clientId = clientId;
    this.scope = scope;
    this.redirectUri = redirectUri;
  }

  get redirectUrl(): string {
    return this.redirectUri;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'MCP Auth Lab e2e',
      redirect_uris: [this.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: this.scope,
    };
  }

  clientInformation(): OAuthClientInformationMixed {
    return { client_id: this.clientId };
  }

  tokens(): OAuthTokens | undefined {
    return this.savedTokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.savedTokens = tokens;
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.authorizationUrl = authorizationUrl;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.savedCodeVerifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.savedCodeVerifier) throw new Error('No PKCE code verifier saved: the authorization flow was not started');
    return this.savedCodeVerifier;
  }
}
