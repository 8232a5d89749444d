/**
 * Tutorial mode — the tutorial's "Set up MCP Auth" (OIDC tab), unchanged in spirit:
 * the server publishes Keycloak's metadata at /.well-known/oauth-authorization-server and accepts
 * any access token Keycloak's userinfo endpoint accepts.
 *
 * One addition the tutorial predates: protected resource metadata (RFC 9728) naming Keycloak as
 * the authorization server. Today's clients (MCP Inspector 2.x) look for it first; without it they
 * take this server's origin for the issuer, and refuse the delegated metadata, whose `issuer` is
 * Keycloak's (RFC 8414 §3.3: "Issuer mismatch").
 */
import { Router } from 'express';
import {
  MCPAuth,
  MCPAuthTokenVerificationError,
  fetchServerConfigByWellKnownUrl,
  type VerifyAccessTokenFunction,
} from 'mcp-auth';
import type { AuthWiring } from './auth-wiring.ts';

export async function setUpTutorialAuth({ discoveryIssuer, resource, scopes }: {
  discoveryIssuer: string;
  /** This server's URL, the resource its tokens are for. */
  resource: string;
  /** The scopes a client should ask for (what the tutorial types into the Inspector). */
  scopes: string[];
}): Promise<AuthWiring> {
  // The tutorial writes `await fetchServerConfig(issuer, { type: 'oidc' })`. This is the same
  // document, fetched from where this process reaches Keycloak (only in docker compose does that
  // differ from the issuer the browser sees).
  const authServerConfig = await fetchServerConfigByWellKnownUrl(
    `${discoveryIssuer}/.well-known/openid-configuration`,
    { type: 'oidc' },
  );
  const mcpAuth = new MCPAuth({ server: authServerConfig });
  const { issuer, userinfoEndpoint } = authServerConfig.metadata;
  if (!userinfoEndpoint) throw new TypeError(`${issuer} publishes no userinfo_endpoint`);

  // Ask Keycloak who the token belongs to: a token it rejects is rejected here too.
  const verifyToken: VerifyAccessTokenFunction = async (token) => {
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
      issuer,
      subject: String(userInfo.sub),
      clientId: '', // userinfo does not say which client the token was issued to
      scopes: [],
      claims: userInfo as Record<string, unknown>,
    };
  };

  const resourceMetadata = new MCPAuth({
    protectedResources: [{ metadata: { resource, authorizationServers: [authServerConfig], scopesSupported: scopes } }],
  });
  const metadataRouter = Router();
  metadataRouter.use(mcpAuth.delegatedRouter(), resourceMetadata.protectedResourceMetadataRouter());

  return {
    metadataRouter,
    bearerAuth: mcpAuth.bearerAuth(verifyToken),
  };
}
