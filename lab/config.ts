/**
 * The lab's single source of truth: URLs, ports, realm/client/user names, versions and timeouts.
 *
 * Every part of the lab reads this module — the server, provisioning, the lab commands, the e2e
 * tests — and `npm run lab -- env` renders it into `.env`, which docker compose reads. Each value
 * can be overridden by the environment variable named next to it.
 */

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LabError } from './errors.ts';

export type AuthMode = 'tutorial' | 'spec';

const env = process.env;

function readPort(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LabError('ERR_CONFIG', `${name} must be a port number between 1 and 65535, got "${raw}"`);
  }
  return port;
}

function readMilliseconds(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const milliseconds = Number(raw);
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    throw new LabError('ERR_CONFIG', `${name} must be a number of milliseconds, got "${raw}"`);
  }
  return milliseconds;
}

function readMode(raw: string | undefined): AuthMode {
  if (raw === undefined || raw === '' || raw === 'tutorial') return 'tutorial';
  if (raw === 'spec') return 'spec';
  throw new LabError('ERR_CONFIG', `AUTH_MODE must be "tutorial" or "spec", got "${raw}"`);
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The defaults of the settings docker compose reads as well, by their environment variable.
 * `npm run lab -- env` writes them to `.env` (see lab/compose-env.ts); a test keeps the two equal.
 */
export const composeDefaults = Object.freeze({
  /** The host name (or IP) that browsers use to reach the lab; an instructor sets it for a room. */
  LAB_PUBLIC_HOST: 'localhost',
  /** Where docker compose publishes the lab's ports on the host: loopback only, by default. */
  LAB_BIND_ADDRESS: '127.0.0.1',
  /** The tutorial pins 26.2.4; CI also runs the newest 26.x. */
  KEYCLOAK_VERSION: '26.2.4',
  /** The Keycloak image without its tag; the tag is KEYCLOAK_VERSION. */
  KEYCLOAK_IMAGE_REPOSITORY: 'quay.io/keycloak/keycloak',
  /** The base of the whoami and Inspector images. */
  NODE_IMAGE: 'node:24-slim',
  INSPECTOR_VERSION: '2.12.0',
  KEYCLOAK_PORT: '8080',
  WHOAMI_PORT: '3001',
  INSPECTOR_PORT: '6274',
  KEYCLOAK_ADMIN_USERNAME: 'admin',
  KEYCLOAK_ADMIN_PASSWORD: 'admin',
  KEYCLOAK_REALM: 'mcp-realm',
  LAB_USERNAME: 'testuser',
  LAB_PASSWORD: 'testpassword',
  LAB_EMAIL: 'testuser@example.com',
  LAB_CLIENT_ID: 'mcp-inspector',
});

const defaults = composeDefaults;
const publicHost = env.LAB_PUBLIC_HOST || defaults.LAB_PUBLIC_HOST;

const keycloakVersion = env.KEYCLOAK_VERSION || defaults.KEYCLOAK_VERSION;
const keycloakPort = readPort('KEYCLOAK_PORT', Number(defaults.KEYCLOAK_PORT));
const keycloakManagementPort = readPort('KEYCLOAK_MANAGEMENT_PORT', 9000);
const keycloakUrl = withoutTrailingSlash(env.KEYCLOAK_URL || `http://${publicHost}:${keycloakPort}`);
const realm = env.KEYCLOAK_REALM || defaults.KEYCLOAK_REALM;
const serverPort = readPort('WHOAMI_PORT', Number(defaults.WHOAMI_PORT));
const serverUrl = withoutTrailingSlash(env.WHOAMI_URL || `http://${publicHost}:${serverPort}`);
const inspectorPort = readPort('INSPECTOR_PORT', Number(defaults.INSPECTOR_PORT));
const inspectorUrl = withoutTrailingSlash(env.INSPECTOR_URL || `http://${publicHost}:${inspectorPort}`);
// The Inspector's other ports keep their distance from its UI port (6275, 6276, 6278 by default),
// so moving INSPECTOR_PORT moves them all.
const inspectorSandboxPort = readPort('INSPECTOR_SANDBOX_PORT', inspectorPort + 1);
const inspectorCliCallbackPort = readPort('INSPECTOR_CLI_CALLBACK_PORT', inspectorPort + 2);
const inspectorAppOriginPort = readPort('INSPECTOR_APP_ORIGIN_PORT', inspectorPort + 4);

/** The repository's root folder. */
export const repoRoot = path.resolve(import.meta.dirname, '..');

export const config = Object.freeze({
  /** Where a running lab keeps its state and logs (git ignores it). */
  stateDir: env.LAB_STATE_DIR || path.join(repoRoot, '.lab'),
  keycloak: Object.freeze({
    version: keycloakVersion,
    /** The container image (docker compose, testcontainers): KEYCLOAK_IMAGE_REPOSITORY:KEYCLOAK_VERSION. */
    image: `${env.KEYCLOAK_IMAGE_REPOSITORY || defaults.KEYCLOAK_IMAGE_REPOSITORY}:${keycloakVersion}`,
    /** Where browsers (and the issuer) see Keycloak. */
    url: keycloakUrl,
    /**
     * Where the whoami server and provisioning reach Keycloak. Differs from `url` only for the
     * provision container of docker compose (`http://keycloak:8080`); see README "The issuer split".
     */
    internalUrl: withoutTrailingSlash(env.KEYCLOAK_INTERNAL_URL || keycloakUrl),
    port: keycloakPort,
    managementPort: keycloakManagementPort,
    adminUsername: env.KEYCLOAK_ADMIN_USERNAME || defaults.KEYCLOAK_ADMIN_USERNAME,
    adminPassword: env.KEYCLOAK_ADMIN_PASSWORD || defaults.KEYCLOAK_ADMIN_PASSWORD,
    /** Names the private copy of the distribution this process runs (see ensureKeycloakInstance). */
    instanceName: env.KEYCLOAK_INSTANCE || 'lab',
    /** Optional: a Keycloak distribution already unpacked; otherwise the lab fetches one. */
    home: env.KEYCLOAK_HOME || undefined,
    readyTimeoutMs: readMilliseconds('KEYCLOAK_READY_TIMEOUT_MS', 180_000),
    /** How long provisioning waits for an already started Keycloak to answer. */
    provisionWaitMs: readMilliseconds('PROVISION_WAIT_MS', 60_000),
  }),
  realm: Object.freeze({
    name: realm,
    issuer: `${keycloakUrl}/realms/${realm}` as string,
  }),
  user: Object.freeze({
    username: env.LAB_USERNAME || defaults.LAB_USERNAME,
    password: env.LAB_PASSWORD || defaults.LAB_PASSWORD,
    email: env.LAB_EMAIL || defaults.LAB_EMAIL,
    firstName: 'Test',
    lastName: 'User',
  }),
  client: Object.freeze({
    /** The public client the MCP Inspector (and the tests' MCP client) log in with. */
    id: env.LAB_CLIENT_ID || defaults.LAB_CLIENT_ID,
    /** What the tutorial types into the Inspector's Auth Params. */
    scope: 'openid profile email',
    inspectorRedirectUri: `${inspectorUrl}/oauth/callback`,
    inspectorWebOrigin: inspectorUrl,
    /** Where `mcp-inspector --cli` listens for the redirect (it insists on a loopback IP). */
    inspectorCliRedirectUri: `http://127.0.0.1:${inspectorCliCallbackPort}/oauth/callback`,
    /**
     * The tests' MCP client redirects here; nothing listens, Playwright catches the navigation
     * and hands the code to the client.
     */
    testRedirectUri: 'http://localhost:6299/oauth/callback',
  }),
  server: Object.freeze({
    port: serverPort,
    /** Loopback for a learner; every interface when a room reaches the lab by host name. */
    host: env.WHOAMI_HOST || (publicHost === 'localhost' ? '127.0.0.1' : '0.0.0.0'),
    url: serverUrl,
    /** `tutorial`: the tutorial's userinfo check; `spec`: the MCP authorization spec's JWT checks. */
    mode: readMode(env.AUTH_MODE),
    /**
     * The server's resource identifier (RFC 8707 §2, RFC 9728 §2): its origin, without a trailing
     * slash, so that SSE (/sse) and Streamable HTTP (/mcp) are one resource with one audience and
     * the protected resource metadata lives at /.well-known/oauth-protected-resource.
     */
    resourceUrl: serverUrl,
    /** The scope `whoami` requires in spec mode; its client scope also puts `resourceUrl` into `aud`. */
    whoamiScope: env.WHOAMI_SCOPE || 'mcp:whoami',
  }),
  inspector: Object.freeze({
    /** The official @modelcontextprotocol/inspector, pinned in package.json (and in .env for compose). */
    version: env.INSPECTOR_VERSION || defaults.INSPECTOR_VERSION,
    port: inspectorPort,
    url: inspectorUrl,
    sandboxPort: inspectorSandboxPort,
    appOriginPort: inspectorAppOriginPort,
    /**
     * The token the Inspector's UI sends to its backend. Random per lab unless set; the URL the
     * lab prints carries it, so that URL opens the Inspector ready to use.
     */
    apiToken: env.INSPECTOR_API_TOKEN || randomBytes(16).toString('hex'),
    readyTimeoutMs: readMilliseconds('INSPECTOR_READY_TIMEOUT_MS', 30_000),
  }),
});

export type LabConfig = typeof config;
