/**
 * Tutorial mode — the tutorial's "Set up MCP Auth" (OIDC tab), unchanged in spirit:
 * the server publishes Keycloak's metadata at /.well-known/oauth-authorization-server and accepts
 * any access token Keycloak's userinfo endpoint accepts — whatever client or audience it was for.
 *
 * One addition the tutorial predates: protected resource metadata (RFC 9728) naming Keycloak as
 * the authorization server. Today's clients (MCP Inspector 2.x) look for it first; without it they
 * take this server's origin for the issuer and refuse the delegated metadata, whose `issuer` is
 * Keycloak's (RFC 8414 §3.3, "issuer mismatch").
 */
import { Router } from 'express';
import { MCPAuth, MCPAuthTokenVerificationError, fetchServerConfigByWellKnownUrl, type VerifyAccessTokenFunction } from 'mcp-auth';
import type { AuthWiring } from './auth-wiring.ts';
import { deferredHandler, onFirstUse } from './on-first-use.ts';

export interface TutorialAuthSettings {
  /** The issuer tokens carry (what the browser sees), e.g. http://localhost:8080/realms/mcp-realm. */
  issuer: string;
  /** The same realm, as this process reaches it (differs only in docker compose). */
  discoveryIssuer: string;
  /** This server's resource identifier, e.g. http://localhost:3001. */
  resource: string;
  /** The scopes a client should ask for: the tutorial's `openid profile email`. */
  scopes: string[];
}

export function setUpTutorialAuth({ issuer, discoveryIssuer, resource, scopes }: TutorialAuthSettings): AuthWiring {
  // 1. Keycloak's metadata. The tutorial writes `await fetchServerConfig(issuer, { type: 'oidc' })`
  //    at startup; here it is the same document, fetched from where this process reaches Keycloak
  //    (only in docker compose does that differ from the issuer the browser sees), on the first
  //    request — so the server starts even while Keycloak does not answer yet.
  const keycloak = onFirstUse(() =>
    fetchServerConfigByWellKnownUrl(`${discoveryIssuer}/.well-known/openid-configuration`, { type: 'oidc' }),
  );
  const mcpAuth = onFirstUse(async () => new MCPAuth({ server: await keycloak() }));

  // 2. Ask Keycloak who the token belongs to: a token it rejects is rejected here too.
  const verifyToken: VerifyAccessTokenFunction = async (token) => {
    const { issuer: keycloakIssuer, userinfoEndpoint } = (await keycloak()).metadata;
    if (!userinfoEndpoint) throw new TypeError(`${keycloakIssuer} publishes no userinfo_endpoint`);
    const response = await fetch(userinfoEndpoint, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) {
      throw new MCPAuthTokenVerificationError('token_verification_failed', response);
    }
    const userInfo: unknown = await response.json();
    if (typeof userInfo !== 'object' || userInfo === null || !('sub' in userInfo)) {
      throw new MCPAuthTokenVerificationError('invalid_token', response);
    }
    return {
      token,
      issuer: keycloakIssuer,
      subject: String(userInfo.sub),
      clientId: '', // userinfo does not say which client the token was issued to
      scopes: [],
      claims: userInfo as Record<string, unknown>,
    };
  };

  // 3. The protected resource metadata: fixed text, so mcp-auth needs only the issuer to serve it.
  const resourceMetadata = new MCPAuth({
    protectedResources: { metadata: { resource, authorizationServers: [{ issuer, type: 'oidc' }], scopesSupported: scopes } },
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
