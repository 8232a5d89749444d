/**
 * Tutorial mode — the tutorial's "Set up MCP Auth", unchanged in spirit: the server publishes the
 * authorization server's metadata at /.well-known/oauth-authorization-server and accepts any access
 * token the authorization server's user endpoint accepts — whatever client or audience it was for.
 *
 * The tutorial's provider tabs, and which one `type` picks (WHOAMI_AUTH_SERVER_TYPE, settings.ts):
 *   - `oidc`, the Keycloak tab (the default, with Keycloak's issuer) and the OIDC tab (another
 *     issuer, nothing else changes): `fetchServerConfig(issuer, { type: 'oidc' })`, and verifyToken
 *     asks the metadata's `userinfoEndpoint`, with the metadata's issuer.
 *   - `oauth`, the OAuth 2 tab: `fetchServerConfig(authIssuer, { type: 'oauth' })` (RFC 8414
 *     metadata, which names no userinfo endpoint), and verifyToken asks the provider's own user
 *     endpoint (GitHub's /user; the tab's fixed URL, here WHOAMI_USER_ENDPOINT), with `authIssuer`.
 *
 * One addition the tutorial predates: protected resource metadata (RFC 9728) naming the
 * authorization server and the scopes to ask for (the tabs' `openid profile email`, or the OAuth 2
 * tab's `profile`). Today's clients (MCP Inspector 2.x) look for it first; without it they take this
 * server's origin for the issuer and refuse the delegated metadata, whose `issuer` is the
 * authorization server's (RFC 8414 §3.3, "issuer mismatch").
 */
import { Router } from 'express';
import { MCPAuth, MCPAuthTokenVerificationError, fetchServerConfigByWellKnownUrl, type VerifyAccessTokenFunction } from 'mcp-auth';
import type { AuthWiring } from './auth-wiring.ts';
import { deferredHandler, onFirstUse } from './on-first-use.ts';
import type { AuthServerType } from './settings.ts';

export interface TutorialAuthSettings {
  /** The issuer tokens carry (what the browser sees), e.g. http://localhost:8080/realms/mcp-realm. */
  issuer: string;
  /** The same issuer, as this process reaches it (differs only in docker compose). */
  discoveryIssuer: string;
  /** Which tab: `oidc` (Keycloak, OIDC) or `oauth` (OAuth 2). */
  type: AuthServerType;
  /** `oauth` only: the provider's user endpoint, e.g. http://localhost:8082/user. */
  userEndpoint?: string;
  /** This server's resource identifier, e.g. http://localhost:3001. */
  resource: string;
  /** The scopes a client should ask for: the tutorial's `openid profile email`, or the OAuth 2 tab's `profile`. */
  scopes: string[];
}

export function setUpTutorialAuth({ issuer, discoveryIssuer, type, userEndpoint, resource, scopes }: TutorialAuthSettings): AuthWiring {
  // 1. The authorization server's metadata. The tutorial writes `await fetchServerConfig(issuer,
  //    { type })` at startup; here it is the same document, fetched from where this process reaches
  //    the authorization server (only in docker compose does that differ from the issuer the browser
  //    sees), on the first request — so the server starts even while it does not answer yet.
  //    Where fetchServerConfig looks: OpenID Connect Discovery appends its path to the issuer;
  //    RFC 8414 §3.1 puts its own between the issuer's origin and path.
  const { origin, pathname } = new URL(discoveryIssuer);
  const wellKnownUrl =
    type === 'oauth'
      ? `${origin}/.well-known/oauth-authorization-server${pathname.replace(/\/$/, '')}`
      : `${discoveryIssuer}/.well-known/openid-configuration`;
  const authServer = onFirstUse(() => fetchServerConfigByWellKnownUrl(wellKnownUrl, { type }));
  const mcpAuth = onFirstUse(async () => new MCPAuth({ server: await authServer() }));

  // 2. Ask the authorization server who the token belongs to: a token it rejects is rejected here too.
  //    The Keycloak and OIDC tabs ask the userinfo endpoint of the metadata, and take its issuer;
  //    the OAuth 2 tab asks the provider's own user endpoint, and takes `authIssuer` (ours: `issuer`).
  const identityEndpoint = async (): Promise<{ endpoint: string; tokenIssuer: string }> => {
    if (type === 'oauth') {
      if (!userEndpoint) throw new TypeError(`${issuer} is an OAuth 2 server: its user endpoint must be given`);
      return { endpoint: userEndpoint, tokenIssuer: issuer };
    }
    const { issuer: metadataIssuer, userinfoEndpoint } = (await authServer()).metadata;
    if (!userinfoEndpoint) throw new TypeError(`${metadataIssuer} publishes no userinfo_endpoint`);
    return { endpoint: userinfoEndpoint, tokenIssuer: metadataIssuer };
  };
  const verifyToken: VerifyAccessTokenFunction = async (token) => {
    const { endpoint, tokenIssuer } = await identityEndpoint();
    const response = await fetch(endpoint, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) {
      throw new MCPAuthTokenVerificationError('token_verification_failed', response);
    }
    const userInfo: unknown = await response.json();
    if (typeof userInfo !== 'object' || userInfo === null || !('sub' in userInfo)) {
      throw new MCPAuthTokenVerificationError('invalid_token', response);
    }
    return {
      token,
      issuer: tokenIssuer,
      subject: String(userInfo.sub),
      clientId: '', // neither userinfo nor a user endpoint says which client the token was issued to
      scopes: [],
      claims: userInfo as Record<string, unknown>,
    };
  };

  // 3. The protected resource metadata: fixed text, so mcp-auth needs only the issuer to serve it.
  const resourceMetadata = new MCPAuth({
    protectedResources: { metadata: { resource, authorizationServers: [{ issuer, type }], scopesSupported: scopes } },
  }).protectedResourceMetadataRouter();
  const delegatedMetadata = deferredHandler(async () => (await mcpAuth()).delegatedRouter());
  const metadataRouter = Router().use(resourceMetadata, delegatedMetadata);

  // 4. The tutorial's `app.use(mcpAuth.delegatedRouter())` and `app.use(mcpAuth.bearerAuth(verifyToken))`.
  return {
    metadataRouter,
    bearerAuth: deferredHandler(async () => (await mcpAuth()).bearerAuth(verifyToken)),
    challenge: {}, // the tutorial's challenge: no resource_metadata, no scope
  };
}
