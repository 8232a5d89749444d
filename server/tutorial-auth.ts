/**
 * Tutorial mode — the tutorial's "Set up MCP Auth" (OIDC tab), unchanged in spirit:
 * the server publishes Keycloak's metadata at /.well-known/oauth-authorization-server and accepts
 * any access token Keycloak's userinfo endpoint accepts — whatever client or audience it was for.
 */
import {
  MCPAuth,
  MCPAuthTokenVerificationError,
  fetchServerConfigByWellKnownUrl,
  type VerifyAccessTokenFunction,
} from 'mcp-auth';
import type { AuthWiring } from './auth-wiring.ts';
import { deferredHandler, onFirstUse } from './on-first-use.ts';

export function setUpTutorialAuth({ discoveryIssuer }: { discoveryIssuer: string }): AuthWiring {
  // 1. Keycloak's metadata. The tutorial writes `await fetchServerConfig(issuer, { type: 'oidc' })`
  //    at startup; here it is the same document, fetched from where this process reaches Keycloak
  //    (only in docker compose does that differ from the issuer the browser sees), on the first
  //    request — so the server starts even while Keycloak does not answer yet.
  const keycloak = onFirstUse(() => fetchServerConfigByWellKnownUrl(
    `${discoveryIssuer}/.well-known/openid-configuration`,
    { type: 'oidc' },
  ));
  const mcpAuth = onFirstUse(async () => new MCPAuth({ server: await keycloak() }));

  // 2. Ask Keycloak who the token belongs to: a token it rejects is rejected here too.
  const verifyToken: VerifyAccessTokenFunction = async (token) => {
    const { issuer, userinfoEndpoint } = (await keycloak()).metadata;
    if (!userinfoEndpoint) throw new TypeError(`${issuer} publishes no userinfo_endpoint`);
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

  // 3. The tutorial's `app.use(mcpAuth.delegatedRouter())` and `app.use(mcpAuth.bearerAuth(verifyToken))`.
  return {
    metadataRouter: deferredHandler(async () => (await mcpAuth()).delegatedRouter()),
    bearerAuth: deferredHandler(async () => (await mcpAuth()).bearerAuth(verifyToken)),
    challenge: {}, // no protected resource metadata, no scopes in this mode
  };
}
