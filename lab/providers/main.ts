/**
 * One of the lab's authorization servers as a process of its own (auth-server.ts); the lab starts
 * it through provider-process.ts (docker compose through compose-main.ts). Demo only.
 *
 * Run: node lab/providers/main.ts, with its settings in the environment:
 *   PROVIDER_KIND               oidc | oauth (required)
 *   PROVIDER_PORT               the port to listen on (required)
 *   PROVIDER_ISSUER             the issuer, e.g. http://localhost:8081 (default http://localhost:<port>)
 *   PROVIDER_HOST               the address to listen on (default 127.0.0.1)
 *   PROVIDER_USERS_FILE         a JSON array of LabUser (lab-users.ts) (required)
 *   PROVIDER_INSPECTOR_ORIGINS  origins allowed CORS, comma-separated (default http://localhost:6274)
 *   PROVIDER_CLIENT_ID          the pre-registered public client (default mcp-inspector)
 *   PROVIDER_REDIRECT_URIS      its redirect URIs, comma-separated (default <each origin>/oauth/callback)
 *   PROVIDER_CLIENTS_FILE       where registered clients are kept (default: nowhere, in memory only)
 *   PROVIDER_BEHIND_PROXY       "true" to trust X-Forwarded-* from a gate in front (default false)
 *   LAB_LOCALE                  the language of its sign-in and consent pages, en or zh-CN (default:
 *                               LC_ALL / LC_MESSAGES / LANG, as the lab reads them; else en)
 *
 * It prints one line once it listens, and stops on SIGTERM or SIGINT. Wrong settings: one line on
 * stderr, exit code 1.
 */
import { readFileSync } from 'node:fs';
import { LabError } from '../../core/errors.ts';
import { runMain } from '../main.ts';
import type { AuthServerKind, AuthServerOptions } from './auth-server.ts';
import { parseLabUsers } from './lab-users.ts';
import { serveAuthServer } from './serve-auth-server.ts';

await runMain(async () => serveAuthServer(readAuthServerEnv(process.env)));

function readAuthServerEnv(env: NodeJS.ProcessEnv): AuthServerOptions {
  const kind = required(env, 'PROVIDER_KIND');
  if (kind !== 'oidc' && kind !== 'oauth') throw configError(`PROVIDER_KIND must be "oidc" or "oauth", got "${kind}"`);
  const port = Number(required(env, 'PROVIDER_PORT'));
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw configError(`PROVIDER_PORT must be a port number, got "${env.PROVIDER_PORT}"`);
  const issuer = (env.PROVIDER_ISSUER || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:$/.test(URL.parse(issuer)?.protocol ?? '')) throw configError(`PROVIDER_ISSUER must be an http(s) URL, got "${issuer}"`);
  const inspectorOrigins = list(env.PROVIDER_INSPECTOR_ORIGINS || 'http://localhost:6274');
  for (const origin of inspectorOrigins) {
    if (URL.parse(origin)?.origin !== origin)
      throw configError(`PROVIDER_INSPECTOR_ORIGINS: "${origin}" is not an origin (scheme://host:port)`);
  }
  const redirectUris = env.PROVIDER_REDIRECT_URIS
    ? list(env.PROVIDER_REDIRECT_URIS)
    : inspectorOrigins.map((origin) => `${origin}/oauth/callback`);
  for (const uri of redirectUris) if (!URL.canParse(uri)) throw configError(`PROVIDER_REDIRECT_URIS: "${uri}" is not a URL`);
  return {
    kind: kind satisfies AuthServerKind,
    issuer,
    port,
    host: env.PROVIDER_HOST || '127.0.0.1',
    users: readUsersFile(required(env, 'PROVIDER_USERS_FILE')),
    inspectorOrigins,
    preRegisteredClient: { clientId: env.PROVIDER_CLIENT_ID || 'mcp-inspector', redirectUris },
    clientsFile: env.PROVIDER_CLIENTS_FILE || undefined,
    behindProxy: env.PROVIDER_BEHIND_PROXY === 'true',
  };
}

function readUsersFile(usersFile: string) {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(usersFile, 'utf8'));
  } catch (error) {
    // One line: JSON.parse quotes the text it choked on, line breaks included.
    throw configError(`PROVIDER_USERS_FILE ${usersFile} is not readable JSON: ${(error as Error).message.replace(/\s+/g, ' ')}`);
  }
  return parseLabUsers(content, usersFile);
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw configError(`${name} is not set`);
  return value;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function configError(message: string): LabError {
  return new LabError('ERR_CONFIG', message);
}
