/**
 * What the whoami server needs to know, read from its environment; the defaults are the
 * tutorial's own values, so `node server/whoami.ts` alone is the tutorial's server. The lab sets
 * these variables (core/config.ts, whoamiServerEnv); so does docker-compose.yml. The Python
 * server (server/python/) reads the same ones.
 */
export type AuthMode = 'tutorial' | 'spec';

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
  /** The scope `whoami` requires in spec mode. */
  scope: string;
  /** Host names this server answers to; any other Host or Origin is refused (DNS rebinding). */
  allowedHosts: string[];
}

export function readServerSettings(env: NodeJS.ProcessEnv): ServerSettings {
  const port = Number(env.WHOAMI_PORT || 3001);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`WHOAMI_PORT must be a port number, got "${env.WHOAMI_PORT}"`);
  const mode = env.AUTH_MODE || 'tutorial';
  if (mode !== 'tutorial' && mode !== 'spec') throw new Error(`AUTH_MODE must be "tutorial" or "spec", got "${mode}"`);
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
    scope: env.WHOAMI_SCOPE || 'mcp:whoami',
    allowedHosts: [...new Set([...allowedHosts, new URL(url).hostname])],
  };
}
