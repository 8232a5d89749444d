/**
 * Spec mode — the MCP authorization spec (2025-06-18, 2025-11-25) with Keycloak:
 *   - protected resource metadata (RFC 9728) at /.well-known/oauth-protected-resource names
 *     Keycloak as the authorization server and the scope `whoami` needs;
 *   - access tokens are JWTs checked here, against Keycloak's published keys: signature,
 *     issuer, expiry, audience (this server's resource URL — RFC 8707; Keycloak before 26.6 puts it
 *     there through the audience mapper of the `mcp:whoami` client scope), and the scope.
 * Nothing is sent back to Keycloak per request (no userinfo): a token is good until it expires.
 */
import { MCPAuth, fetchServerConfigByWellKnownUrl } from 'mcp-auth';
import type { AuthWiring } from './auth-wiring.ts';
import { deferredHandler } from './on-first-use.ts';

export interface SpecAuthSettings {
  /** The issuer tokens must carry (what the browser sees), e.g. http://localhost:8080/realms/mcp-realm. */
  issuer: string;
  /** The same realm, as this process reaches it (differs only in docker compose). */
  discoveryIssuer: string;
  /** This server's resource identifier, e.g. http://localhost:3001; tokens must carry it in `aud`. */
  resource: string;
  /** The scope `whoami` needs, e.g. mcp:whoami. */
  requiredScope: string;
  /** What the metadata lists beside it: scopes single tools ask for by step-up (revision-2026/whoami.ts). */
  stepUpScopes?: string[];
}

export function setUpSpecAuth({ issuer, discoveryIssuer, resource, requiredScope, stepUpScopes = [] }: SpecAuthSettings): AuthWiring {
  const protectedResource = {
    resource,
    scopesSupported: [requiredScope, ...stepUpScopes],
  };

  // 1. Protected resource metadata (RFC 9728 §3): fixed text, so mcp-auth needs only Keycloak's
  //    issuer to serve it and fetches nothing.
  const metadataAuth = new MCPAuth({
    protectedResources: { metadata: { ...protectedResource, authorizationServers: [{ issuer, type: 'oidc' }] } },
  });

  // 2. The JWT guard. It needs Keycloak's metadata (for jwks_uri), fetched on the first request
  //    from where this process reaches Keycloak; mcp-auth then fetches and caches the key set.
  const bearerAuth = deferredHandler(async () => {
    const keycloak = await fetchServerConfigByWellKnownUrl(`${discoveryIssuer}/.well-known/openid-configuration`, { type: 'oidc' });
    const mcpAuth = new MCPAuth({
      protectedResources: { metadata: { ...protectedResource, authorizationServers: [keycloak] } },
    });
    return mcpAuth.bearerAuth('jwt', {
      resource,
      audience: resource,
      requiredScopes: [requiredScope],
      // Only for spec-compliant-errors.ts, which needs the cause to tell "Keycloak's keys are
      // unreachable" from "bad token"; it never sends the details to the client.
      showErrorDetails: true,
    });
  });

  // 3. What every challenge names: where the metadata is (RFC 9728 §5.1) and the scope to ask for.
  return {
    metadataRouter: metadataAuth.protectedResourceMetadataRouter(),
    bearerAuth,
    challenge: {
      resourceMetadataUrl: new URL('/.well-known/oauth-protected-resource', resource).href,
      scope: requiredScope,
    },
  };
}
