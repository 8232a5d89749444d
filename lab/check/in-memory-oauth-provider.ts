import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * How the client knows its client ID: typed in (`clientId`, the tutorial's pre-registered client),
 * a client ID metadata document's URL (`clientMetadataUrl`, used where Keycloak says it supports
 * them), or neither: then the SDK registers the client dynamically and saves what Keycloak returns.
 */
export type ClientIdentity = { clientId: string } | { clientMetadataUrl: string } | { dynamic: true };

/**
 * The MCP SDK's client-side OAuth hooks, kept in memory. Instead of opening a browser,
 * `redirectToAuthorization` records the URL; the caller drives the login with Playwright.
 */
export class InMemoryOAuthClientProvider implements OAuthClientProvider {
  private readonly identity: ClientIdentity;
  private readonly scope: string;
  private readonly redirectUri: string;
  private savedTokens: OAuthTokens | undefined;
  private savedCodeVerifier: string | undefined;
  private savedClientInformation: OAuthClientInformationMixed | undefined;
  /** Set when the SDK wants the user to log in. */
  authorizationUrl: URL | undefined;

  /**
   * Present only for a client that sends no `resource` (RFC 8707), as the tutorial's Inspector did:
   * the SDK sends none when this hook answers undefined. Logto refuses a `resource` it does not
   * know, and for one it knows issues a token its userinfo refuses (docs/providers.md#the-logto-tab).
   */
  validateResourceURL?: (serverUrl: string | URL, resource?: string) => Promise<URL | undefined>;

  constructor({
    identity,
    scope,
    redirectUri,
    sendResource = true,
  }: { identity: ClientIdentity; scope: string; redirectUri: string; sendResource?: boolean }) {
    this.identity = identity;
    this.scope = scope;
    this.redirectUri = redirectUri;
    if (!sendResource) this.validateResourceURL = async () => undefined;
  }

  get clientMetadataUrl(): string | undefined {
    return 'clientMetadataUrl' in this.identity ? this.identity.clientMetadataUrl : undefined;
  }

  get redirectUrl(): string {
    return this.redirectUri;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'MCP Auth Lab e2e',
      redirect_uris: [this.redirectUri],
      // As the Inspector registers: with refresh tokens. A client without them meets a Keycloak bug
      // when it sends `resource` (e2e/tests/resource-indicators.spec.ts).
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: this.scope,
    };
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.savedClientInformation ?? ('clientId' in this.identity ? { client_id: this.identity.clientId } : undefined);
  }

  /** What the SDK registered or chose: a registered client, or the document URL as client ID. */
  saveClientInformation(clientInformation: OAuthClientInformationMixed): void {
    this.savedClientInformation = clientInformation;
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
