/**
 * What the whoami server needs to know, read from its environment; the defaults are the
 * tutorial's own values, so `node server/whoami.ts` alone is the tutorial's server. The lab sets
 * these variables (core/config.ts, whoamiServerEnv); so does docker-compose.yml. The Python
 * server (server/python/) reads the same ones.
 *
 * Which of the tutorial's provider tabs the server follows (tutorial mode, see tutorial-auth.ts):
 *   WHOAMI_AUTH_SERVER_TYPE  `oidc` (default): the Keycloak and OIDC tabs, OpenID discovery and
 *                            userinfo. `oauth`: the OAuth 2 tab, RFC 8414 metadata and the
 *                            provider's own user endpoint. Anything else stops the server.
 *   WHOAMI_USER_ENDPOINT     `oauth` only, and required there: that user endpoint (GitHub's
 *                            /user), e.g. http://localhost:8082/user. Ignored for `oidc`.
 * Spec mode is Keycloak's: AUTH_MODE=spec with `oauth` stops the server.
 *
 * Which MCP revision the server speaks (MCP_REVISION): `2025-11-25` (default) is whoami.ts, on the
 * SDK 1.x the tutorial installs; `2026-07-28` is revision-2026/whoami.ts, on the SDK's 2.x packages,
 * spec mode only. WHOAMI_ADMIN_SCOPE names the scope of that server's second tool (step-up).
 */
export type AuthMode = 'tutorial' | 'spec';

/** The MCP revisions the lab's servers speak. */
export const mcpRevisions = ['2025-11-25', '2026-07-28'] as const;
export type McpRevision = (typeof mcpRevisions)[number];

/** The tutorial's `fetchServerConfig(issuer, { type })`: an OpenID provider, or a plain OAuth 2 server. */
export type AuthServerType = 'oidc' | 'oauth';

export interface ServerSettings {
  port: number;
  /** The address to listen on: loopback unless a room must reach the server. */
  host: string;
  /** Where clients reach this server; also its resource identifier (RFC 8707, RFC 9728). */
  url: string;
  /** The issuer tokens carry, e.g. http://localhost:8080/realms/mcp-realm. */
  issuer: string;
  /** The same realm as this process reaches it (differs only when a proxy or container is between). */
  issuerBackchannel: string;
  mode: AuthMode;
  /** `oidc` (the Keycloak and OIDC tabs) or `oauth` (the OAuth 2 tab). */
  authServerType: AuthServerType;
  /** `oauth` only: the provider's endpoint that says who a token belongs to, e.g. http://localhost:8082/user. */
  userEndpoint?: string;
  /** The scope `whoami` requires in spec mode. */
  scope: string;
  /** The MCP revision: which server file serves it (see above). */
  revision: McpRevision;
  /** The scope the 2026-07-28 server's `whoami-admin` tool asks for by step-up. */
  adminScope: string;
  /** Host names this server answers to; any other Host or Origin is refused (DNS rebinding). */
  allowedHosts: string[];
}

export function readServerSettings(env: NodeJS.ProcessEnv): ServerSettings {
  const port = Number(env.WHOAMI_PORT || 3001);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`WHOAMI_PORT must be a port number, got "${env.WHOAMI_PORT}"`);
  const mode = env.AUTH_MODE || 'tutorial';
  if (mode !== 'tutorial' && mode !== 'spec') throw new Error(`AUTH_MODE must be "tutorial" or "spec", got "${mode}"`);
  const authServerType = env.WHOAMI_AUTH_SERVER_TYPE || 'oidc';
  if (authServerType !== 'oidc' && authServerType !== 'oauth') {
    throw new Error(`WHOAMI_AUTH_SERVER_TYPE must be "oidc" or "oauth", got "${authServerType}"`);
  }
  if (mode === 'spec' && authServerType === 'oauth') {
    throw new Error('AUTH_MODE=spec needs Keycloak (WHOAMI_AUTH_SERVER_TYPE=oidc); with an OAuth 2 server, use AUTH_MODE=tutorial');
  }
  const revision = env.MCP_REVISION || '2025-11-25';
  if (!(mcpRevisions as readonly string[]).includes(revision)) {
    throw new Error(`MCP_REVISION must be ${mcpRevisions.map((name) => `"${name}"`).join(' or ')}, got "${revision}"`);
  }
  if (revision === '2026-07-28' && mode !== 'spec') {
    throw new Error('MCP_REVISION=2026-07-28 needs AUTH_MODE=spec: the revision makes audience-bound tokens a MUST');
  }
  const userEndpoint = authServerType === 'oauth' ? env.WHOAMI_USER_ENDPOINT : undefined; // ignored for oidc
  if (authServerType === 'oauth' && !userEndpoint) {
    throw new Error(
      "WHOAMI_AUTH_SERVER_TYPE=oauth needs WHOAMI_USER_ENDPOINT, the provider's user endpoint, e.g. http://localhost:8082/user",
    );
  }
  if (userEndpoint && !['http:', 'https:'].includes(URL.parse(userEndpoint)?.protocol ?? '')) {
    throw new Error(`WHOAMI_USER_ENDPOINT must be an http or https URL, got "${userEndpoint}"`);
  }
  const url = (env.WHOAMI_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  const issuer = (env.WHOAMI_ISSUER || 'http://localhost:8080/realms/mcp-realm').replace(/\/+$/, '');
  const allowedHosts = env.WHOAMI_ALLOWED_HOSTS?.split(',')
    .map((host) => host.trim())
    .filter(Boolean) ?? ['localhost', '127.0.0.1', '[::1]'];
  return {
    port,
    host: env.WHOAMI_HOST || '127.0.0.1',
    url,
    issuer,
    issuerBackchannel: (env.WHOAMI_ISSUER_BACKCHANNEL || issuer).replace(/\/+$/, ''),
    mode,
    authServerType,
    userEndpoint,
    scope: env.WHOAMI_SCOPE || 'mcp:whoami',
    revision: revision as McpRevision,
    adminScope: env.WHOAMI_ADMIN_SCOPE || 'whoami:admin',
    allowedHosts: [...new Set([...allowedHosts, new URL(url).hostname])],
  };
}
