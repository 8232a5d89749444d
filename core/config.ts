/**
 * The lab's single source of truth: URLs, ports, realm/client/user names, versions and timeouts.
 *
 * `loadConfig(env)` is a pure function of an environment: the same variables give the same frozen
 * value, and every derived value (issuer, redirect URIs, the server's resource URL) follows from
 * them. A variant — the tests' ports, a realm of a test's own, the bench's Keycloak — is another
 * call: `withSettings(config, { WHOAMI_PORT: '3182' })`. Nothing here reads `process.env` itself;
 * the edges (the CLI, the tests' set-up) pass it in.
 */
import os from 'node:os';
import path from 'node:path';
import { LabError } from './errors.ts';
import { locales, localeFrom, t, type Locale, type MessageKey, type MessageValues } from './messages.ts';
import { featureSince, isKeycloakAtLeast } from './keycloak-versions.ts';

export type AuthMode = 'tutorial' | 'spec';
export type WhoamiSdk = 'node' | 'python';
/** The MCP revision the lab's server speaks: the tutorial's (SDK 1.x), or today's (server/revision-2026/, SDK 2.x). */
export const mcpRevisions = ['2025-11-25', '2026-07-28'] as const;
export type McpRevision = (typeof mcpRevisions)[number];

/**
 * How an MCP client gets its client in Keycloak (docs/keycloak-versions.md):
 *   manual   the tutorial's way: provisioning creates `mcp-inspector`, the learner types its Client ID;
 *   dynamic  the client registers itself (RFC 7591) under the realm's anonymous registration policies;
 *   cimd     the client's ID is the URL of a metadata document the lab serves (Keycloak ≥ 26.6, feature `cimd`).
 */
export type ClientRegistration = 'manual' | 'dynamic' | 'cimd';
export const clientRegistrations: readonly ClientRegistration[] = ['manual', 'dynamic', 'cimd'];

/**
 * The tutorial's provider tab the lab plays (docs/providers.md):
 *   keycloak  the Keycloak tab: a realm in a Keycloak the lab starts;
 *   oidc      the OIDC tab: another OpenID Provider (oidc-provider, lab/providers/), the same server code;
 *   oauth     the OAuth 2 tab: an OAuth 2.0 server without OpenID (RFC 8414 metadata, a `/user` endpoint);
 *   logto     the Logto tab: Logto built from source (lab/logto/), with a PostgreSQL of its own.
 */
export type ProviderKind = 'keycloak' | 'oidc' | 'oauth' | 'logto';
export const providerKinds: readonly ProviderKind[] = ['keycloak', 'oidc', 'oauth', 'logto'];
/**
 * The tab the lab plays when LAB_PROVIDER is unset. Not among composeDefaults: docker compose reads
 * LAB_PROVIDER from the shell only (the first line of .env, lab/compose-env.ts).
 */
export const defaultProviderKind: ProviderKind = 'keycloak';

/** An environment: variable name → value. `process.env` is one. */
export type Settings = Readonly<Record<string, string | undefined>>;

/**
 * The defaults of the settings docker compose reads as well, by their environment variable.
 * `npm run lab -- env` writes them to `.env` (see lab/compose-env.ts); a test keeps the two equal.
 */
export const composeDefaults = Object.freeze({
  /** The host name (or IP) that browsers use to reach the lab; an instructor sets it for a room. */
  LAB_PUBLIC_HOST: 'localhost',
  /** Where docker compose publishes the lab's ports on the host: loopback only, by default. */
  LAB_BIND_ADDRESS: '127.0.0.1',
  /** The tutorial pins 26.2.4; CI also runs newer 26.x releases. */
  KEYCLOAK_VERSION: '26.2.4',
  /** The Keycloak image without its tag; the tag is KEYCLOAK_VERSION. */
  KEYCLOAK_IMAGE_REPOSITORY: 'quay.io/keycloak/keycloak',
  /** The base of the whoami (Node) and Inspector images. */
  NODE_IMAGE: 'node:24-slim',
  /** The base of the Python whoami server's image. */
  PYTHON_IMAGE: 'python:3.12-slim',
  /** The gate in front of Keycloak when the stack is published for a classroom (profile `classroom`). */
  NGINX_IMAGE: 'nginx:stable-alpine',
  INSPECTOR_VERSION: '2.12.0',
  KEYCLOAK_PORT: '8080',
  WHOAMI_PORT: '3001',
  INSPECTOR_PORT: '6274',
  /** The OIDC and OAuth 2 tabs' authorization servers (LAB_PROVIDER=oidc, oauth): their ports, and so their issuers. */
  OIDC_PROVIDER_PORT: '8081',
  OAUTH_PROVIDER_PORT: '8082',
  KEYCLOAK_ADMIN_USERNAME: 'admin',
  KEYCLOAK_ADMIN_PASSWORD: 'admin',
  KEYCLOAK_REALM: 'mcp-realm',
  LAB_USERNAME: 'testuser',
  LAB_PASSWORD: 'testpassword',
  LAB_EMAIL: 'testuser@example.com',
  LAB_CLIENT_ID: 'mcp-inspector',
  AUTH_MODE: 'tutorial',
  /** The MCP revision the whoami server speaks; compose's images run the tutorial's (2025-11-25) only. */
  MCP_REVISION: '2025-11-25',
  /** Which whoami server runs: `node` (server/whoami.ts) or `python` (server/python/whoami.py). */
  WHOAMI_SDK: 'node',
  /**
   * The lab's language, `en` or `zh-CN`: its CLI, Keycloak's login pages, the handout. Compose has no
   * terminal locale to read, so `en` there; the CLI, with LAB_LOCALE unset, follows LC_ALL / LANG.
   */
  LAB_LOCALE: 'en',
});

/** Every variable `loadConfig` reads; `config.settings` keeps these, and only these. */
export const settingNames = Object.freeze([
  ...Object.keys(composeDefaults),
  'KEYCLOAK_MANAGEMENT_PORT',
  'KEYCLOAK_URL',
  'KEYCLOAK_INTERNAL_URL',
  'KEYCLOAK_INSTANCE',
  'KEYCLOAK_HOME',
  'KEYCLOAK_READY_TIMEOUT_MS',
  'PROVISION_WAIT_MS',
  'WHOAMI_URL',
  'WHOAMI_HOST',
  'WHOAMI_SCOPE',
  'WHOAMI_ADMIN_SCOPE',
  'LAB_CONFORMANCE_CALLBACK_PORT',
  'LAB_ADMIN_USERNAME',
  'LAB_ADMIN_PASSWORD',
  'INSPECTOR_URL',
  'INSPECTOR_SANDBOX_PORT',
  'INSPECTOR_CLI_CALLBACK_PORT',
  'INSPECTOR_APP_ORIGIN_PORT',
  'INSPECTOR_API_TOKEN',
  'INSPECTOR_READY_TIMEOUT_MS',
  'LAB_STATE_DIR',
  'XDG_CACHE_HOME',
  'LAB_PREFETCH_DIR',
  'LAB_PROGRESS_PORT',
  'LAB_CLIENT_REGISTRATION',
  'KEYCLOAK_FEATURES',
  'CIMD_PORT',
  'LAB_PROVIDER',
  'LOGTO_PORT',
  'LOGTO_ADMIN_PORT',
  'LOGTO_DB_PORT',
  'LOGTO_TARBALL',
  'LOGTO_DB_DIR',
  'LOGTO_APP_ID',
  'LOGTO_ADMIN_USERNAME',
  'LOGTO_ADMIN_PASSWORD',
  'LOGTO_READY_TIMEOUT_MS',
  'POSTGRES_BIN_DIR',
  // The lab's language when LAB_LOCALE is unset (core/messages.ts localeFrom).
  'LC_ALL',
  'LC_MESSAGES',
  'LANG',
]);

/** Host names under which the lab is a learner's own, reached from this machine only. */
const loopbackHostNames: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** The repository's root folder. */
export const repoRoot = path.resolve(import.meta.dirname, '..');

/** Where the Inspector tests leave each step's screenshot; `npm run screenshots` copies them into docs/images. */
export const walkthroughDir = path.join(repoRoot, 'test-results', 'walkthrough');

export function loadConfig(env: Settings) {
  const settings: Record<string, string> = {};
  for (const name of settingNames) {
    const value = env[name];
    if (value !== undefined && value !== '') settings[name] = value;
  }
  const read = (name: keyof typeof composeDefaults) => settings[name] ?? composeDefaults[name];
  const port = (name: string, fallback: number) => readPort(name, settings[name], fallback);
  const milliseconds = (name: string, fallback: number) => readMilliseconds(name, settings[name], fallback);

  const publicHost = readPublicHost(read('LAB_PUBLIC_HOST'));
  const keycloakVersion = read('KEYCLOAK_VERSION');
  const keycloakPort = port('KEYCLOAK_PORT', Number(composeDefaults.KEYCLOAK_PORT));
  const keycloakUrl = withoutTrailingSlash(readUrl('KEYCLOAK_URL', settings.KEYCLOAK_URL) ?? `http://${publicHost}:${keycloakPort}`);
  const realm = read('KEYCLOAK_REALM');
  const serverPort = port('WHOAMI_PORT', Number(composeDefaults.WHOAMI_PORT));
  const serverUrl = withoutTrailingSlash(readUrl('WHOAMI_URL', settings.WHOAMI_URL) ?? `http://${publicHost}:${serverPort}`);
  const inspectorPort = port('INSPECTOR_PORT', Number(composeDefaults.INSPECTOR_PORT));
  // The Inspector is a tool on one's own machine (it connects wherever it is told): on loopback in
  // every mode. In a classroom each student runs their own, under the same URL.
  const inspectorUrl = withoutTrailingSlash(readUrl('INSPECTOR_URL', settings.INSPECTOR_URL) ?? `http://localhost:${inspectorPort}`);
  const classroom = !loopbackHostNames.includes(publicHost);
  // What students need listens on the address LAB_PUBLIC_HOST names; the rest stays on loopback.
  const listenAddress = classroom ? publicHost.replace(/^\[(.*)\]$/, '$1') : '127.0.0.1';
  const mode = readMode(read('AUTH_MODE'));
  const sdk = readSdk(read('WHOAMI_SDK'));
  const progressPort = port('LAB_PROGRESS_PORT', 8090);
  const stateDir = settings.LAB_STATE_DIR ?? path.join(repoRoot, '.lab');
  const registration = readRegistration(settings.LAB_CLIENT_REGISTRATION ?? 'manual');
  // KEYCLOAK_FEATURES (comma-separated) sets them; otherwise the lab asks for what it uses: `cimd`
  // for that profile, and `resource-indicators` (RFC 8707) in spec mode on a Keycloak that has it.
  const keycloakFeatures = readFeatures(settings.KEYCLOAK_FEATURES) ?? [
    ...(registration === 'cimd' ? ['cimd'] : []),
    ...(mode === 'spec' && isKeycloakAtLeast(keycloakVersion, featureSince['resource-indicators']) ? ['resource-indicators'] : []),
  ];
  const cimdPort = port('CIMD_PORT', inspectorPort + 5);
  const cimdUrl = `https://localhost:${cimdPort}`;
  const inspectorRedirectUri = `${inspectorUrl}/oauth/callback`;
  const inspectorCliRedirectUri = `http://127.0.0.1:${port('INSPECTOR_CLI_CALLBACK_PORT', inspectorPort + 2)}/oauth/callback`;
  const testRedirectUri = 'http://localhost:6299/oauth/callback';
  const providerKind = readProviderKind(settings.LAB_PROVIDER ?? defaultProviderKind);
  const locale = readLocale(settings);
  const revision = readRevision(read('MCP_REVISION'));
  if (revision === '2026-07-28') {
    const refused = refusal([
      mode !== 'spec' && ['config.revision-2026.refuses-mode', { mode }],
      providerKind !== 'keycloak' && ['config.revision-2026.refuses-provider', { provider: providerKind }],
      sdk !== 'node' && ['config.revision-2026.refuses-python', {}],
    ]);
    if (refused) throw new LabError('ERR_CONFIG', refused);
  }
  if (providerKind !== 'keycloak') {
    const refused = refusal([
      // Logto issues JWTs for an API resource, which spec mode checks; the lab's oidc-provider tabs do not.
      mode === 'spec' && providerKind !== 'logto' && ['config.provider.refuses-spec-mode', { provider: providerKind }],
      registration === 'cimd' && ['config.provider.refuses-cimd', { provider: providerKind }],
      registration === 'dynamic' && providerKind === 'logto' && ['config.provider.refuses-dynamic', { provider: providerKind }],
      classroom && ['config.provider.refuses-classroom', { provider: providerKind, host: publicHost }],
    ]);
    if (refused) throw new LabError('ERR_CONFIG', refused);
  }
  const logtoPort = port('LOGTO_PORT', 8083);
  const logtoAdminPort = port('LOGTO_ADMIN_PORT', 8084);
  const logtoUrl = `http://${publicHost}:${logtoPort}`;
  const provider = providerFor(providerKind, {
    publicHost,
    keycloakIssuer: `${keycloakUrl}/realms/${realm}`,
    clientId: read('LAB_CLIENT_ID'),
    oidcPort: port('OIDC_PROVIDER_PORT', Number(composeDefaults.OIDC_PROVIDER_PORT)),
    oauthPort: port('OAUTH_PROVIDER_PORT', Number(composeDefaults.OAUTH_PROVIDER_PORT)),
    logto: { port: logtoPort, url: logtoUrl, appId: settings.LOGTO_APP_ID },
  });

  return deepFreeze({
    /** The variables this value was made from; `withSettings` starts from them. */
    settings,
    /**
     * The language the lab speaks to people (its CLI, Keycloak's login pages, the handout), and which
     * setting chose it. `--json`, logs and codes stay English.
     */
    locale,
    /** Where a running lab keeps its state and logs (git ignores it). */
    stateDir,
    /** Downloads and unpacked distributions, kept between runs. */
    cacheDir: path.join(settings.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mcp-auth-lab'),
    /**
     * A folder `lab prefetch` filled (a classroom without internet): the Keycloak distribution and
     * the Python server's packages come from it, never from the network.
     */
    prefetchDir: settings.LAB_PREFETCH_DIR ? path.resolve(settings.LAB_PREFETCH_DIR) : undefined,
    publicHost,
    /**
     * A classroom: LAB_PUBLIC_HOST names this machine on a network students share. Keycloak's
     * admin gets a random password, a gate (nginx) lets students reach only the realm's pages, and
     * the realm locks accounts after repeated wrong passwords. See docs/security.md.
     */
    inClassroom: classroom,
    /** Where what students need listens (the whoami server, the gate): loopback unless a classroom. */
    listenAddress,
    keycloak: {
      version: keycloakVersion,
      /** The container image (docker compose, testcontainers): KEYCLOAK_IMAGE_REPOSITORY:KEYCLOAK_VERSION. */
      image: `${read('KEYCLOAK_IMAGE_REPOSITORY')}:${keycloakVersion}`,
      /** Where browsers (and the issuer) see Keycloak. */
      url: keycloakUrl,
      /**
       * Where the whoami server and provisioning reach Keycloak. Differs from `url` only for the
       * provision container of docker compose (`http://keycloak:8080`); see docs/compose.md.
       */
      internalUrl: withoutTrailingSlash(settings.KEYCLOAK_INTERNAL_URL ?? keycloakUrl),
      /**
       * Where the lab's admin client (provisioning, `reset`, `doctor`) reaches Keycloak: directly.
       * In a classroom that is loopback, since the gate refuses the admin API and the master realm.
       */
      adminUrl: withoutTrailingSlash(settings.KEYCLOAK_INTERNAL_URL ?? (classroom ? `http://127.0.0.1:${keycloakPort}` : keycloakUrl)),
      /** The admin console as a person opens it: on this machine only, in a classroom. */
      adminConsoleUrl: classroom ? `http://localhost:${keycloakPort}` : keycloakUrl,
      /** Keycloak itself (HTTP and management ports) listens on loopback in every mode. */
      listenAddress: '127.0.0.1',
      /** In a classroom, the gate: nginx on the students' side of Keycloak's port, Keycloak behind it. */
      gate: classroom ? { listenAddress, port: keycloakPort, upstream: `127.0.0.1:${keycloakPort}` } : undefined,
      port: keycloakPort,
      managementPort: port('KEYCLOAK_MANAGEMENT_PORT', 9000),
      adminUsername: read('KEYCLOAK_ADMIN_USERNAME'),
      adminPassword: read('KEYCLOAK_ADMIN_PASSWORD'),
      /** False when KEYCLOAK_ADMIN_PASSWORD is unset: a classroom then gets a random one (lab/admin-password.ts). */
      adminPasswordIsSet: settings.KEYCLOAK_ADMIN_PASSWORD !== undefined,
      /**
       * Names the private copy of the distribution this process runs (see ensureKeycloakInstance).
       * A classroom has its own, so its database (and admin) is not a learner's; so has each set of
       * features: a realm saved with a feature's policies (cimd's client profile) answers every
       * update with 500 on a Keycloak started without that feature.
       */
      instanceName: settings.KEYCLOAK_INSTANCE ?? [classroom ? 'classroom' : 'lab', ...[...keycloakFeatures].sort()].join('-'),
      /** Optional: a Keycloak distribution already unpacked; otherwise the lab fetches one. */
      home: settings.KEYCLOAK_HOME,
      readyTimeoutMs: milliseconds('KEYCLOAK_READY_TIMEOUT_MS', 180_000),
      /** How long provisioning waits for an already started Keycloak to answer. */
      provisionWaitMs: milliseconds('PROVISION_WAIT_MS', 60_000),
      /**
       * The features Keycloak is built with (`kc.sh build --features=…`). KEYCLOAK_FEATURES
       * (comma-separated) sets them; otherwise the lab asks for what it uses: `cimd` for that
       * profile, and `resource-indicators` (RFC 8707) in spec mode on a Keycloak that has it.
       */
      features: keycloakFeatures,
    },
    realm: {
      name: realm,
      issuer: `${keycloakUrl}/realms/${realm}`,
      /**
       * In a classroom, Keycloak's brute-force detection: after `failureFactor` wrong passwords in a
       * row an account is locked for `waitIncrementSeconds`, longer each time up to
       * `maxFailureWaitSeconds`; temporary, so a student is never locked out for the day, and
       * `lab reset` clears it. A learner's own lab keeps Keycloak's defaults (off).
       */
      bruteForce: classroom ? { failureFactor: 5, waitIncrementSeconds: 60, maxFailureWaitSeconds: 900 } : undefined,
    },
    user: {
      username: read('LAB_USERNAME'),
      password: read('LAB_PASSWORD'),
      email: read('LAB_EMAIL'),
      firstName: 'Test',
      lastName: 'User',
    },
    /**
     * The second user, who holds the realm role that grants the admin scope (step-up, the
     * 2026-07-28 server's `whoami-admin`); testuser does not.
     */
    adminUser: {
      username: settings.LAB_ADMIN_USERNAME ?? 'adminuser',
      password: settings.LAB_ADMIN_PASSWORD ?? 'adminpassword',
      email: 'adminuser@example.com',
      firstName: 'Admin',
      lastName: 'User',
      /** The realm role whose holders may have the admin scope in their tokens. */
      role: 'whoami-admin',
    },
    client: {
      /** The public client the MCP Inspector (and the tests' MCP client) log in with. */
      id: read('LAB_CLIENT_ID'),
      /** What the tutorial types into the Inspector's Auth Params. */
      scope: 'openid profile email',
      inspectorRedirectUri,
      inspectorWebOrigin: inspectorUrl,
      /** Where `mcp-inspector --cli` listens for the redirect (it insists on a loopback IP). */
      inspectorCliRedirectUri,
      /**
       * The tests' MCP client redirects here; nothing listens, Playwright catches the navigation
       * and hands the code to the client.
       */
      testRedirectUri,
      /** Every redirect URI the public client has: the Inspector's, its CLI's, the tests' and `lab check`'s. */
      redirectUris: [inspectorRedirectUri, inspectorCliRedirectUri, testRedirectUri],
      /** manual (the tutorial's), dynamic or cimd: see {@link ClientRegistration}. */
      registration,
    },
    /**
     * The client ID metadata documents the lab serves for the `cimd` profile. The Inspector's SDK
     * takes only an https document URL, so the server is HTTPS with a certificate of the lab's own,
     * which Keycloak is started to trust (`--truststore-paths`).
     */
    cimd: {
      port: cimdPort,
      url: cimdUrl,
      /** The Inspector's document: its client ID is this URL. */
      inspectorDocumentUrl: `${cimdUrl}/clients/mcp-inspector.json`,
      /** The certificate and key of the document server, made on first use. */
      certificateDir: path.join(stateDir, 'cimd'),
    },
    server: {
      port: serverPort,
      /** Loopback for a learner; LAB_PUBLIC_HOST's address in a classroom. */
      host: settings.WHOAMI_HOST ?? listenAddress,
      url: serverUrl,
      /** `tutorial`: the tutorial's userinfo check; `spec`: the MCP authorization spec's JWT checks. */
      mode,
      /** The tutorial's Node.js tab (server/whoami.ts) or its Python tab (server/python/whoami.py). */
      sdk,
      /**
       * The server's resource identifier (RFC 8707 §2, RFC 9728 §2): its origin, without a trailing
       * slash, so that SSE (/sse) and Streamable HTTP (/mcp) are one resource with one audience and
       * the protected resource metadata lives at /.well-known/oauth-protected-resource.
       */
      resourceUrl: serverUrl,
      /** The scope `whoami` requires in spec mode; its client scope also puts `resourceUrl` into `aud`. */
      whoamiScope: settings.WHOAMI_SCOPE ?? 'mcp:whoami',
      /** The scope of `whoami-admin`, asked for by step-up; Keycloak gives it only to holders of the admin role. */
      adminScope: settings.WHOAMI_ADMIN_SCOPE ?? 'whoami:admin',
      /** The MCP revision the server speaks: 2025-11-25 (server/whoami.ts) or 2026-07-28 (server/revision-2026/whoami.ts). */
      revision,
      /** Host names the server answers to (DNS rebinding protection): loopback, the room's, its own. */
      allowedHosts: unique(['localhost', '127.0.0.1', '[::1]', publicHost, new URL(serverUrl).hostname]),
    },
    /** The authorization server of the tab the lab plays: its issuer, and what the Inspector is given. */
    provider,
    /**
     * The Logto tab's Logto (LAB_PROVIDER=logto): built once from its source tarball into the cache
     * (lab/logto/logto-build.ts), run on loopback with a PostgreSQL of its own, provisioned through
     * its Management API. Its own defaults (3001/3002) would take the whoami server's port.
     */
    logto: {
      /** Logto's ENDPOINT: the sign-in pages and the issuer `<url>/oidc`. */
      port: logtoPort,
      url: logtoUrl,
      issuer: `${logtoUrl}/oidc`,
      /** Logto's ADMIN_ENDPOINT: the Console (`/console`) and the admin tenant the lab's provisioning signs in to. */
      adminPort: logtoAdminPort,
      adminUrl: `http://localhost:${logtoAdminPort}`,
      consoleUrl: `http://localhost:${logtoAdminPort}/console`,
      /** Its PostgreSQL, on 127.0.0.1 only. */
      dbPort: port('LOGTO_DB_PORT', 8085),
      /** The PostgreSQL data folder; as root, the `postgres` user must be able to reach it. */
      dbDir: path.resolve(settings.LOGTO_DB_DIR ?? path.join(stateDir, 'logto', 'postgres')),
      /** Where PostgreSQL's server binaries are; unset: the newest /usr/lib/postgresql/<n>/bin, else PATH. */
      postgresBinDir: settings.POSTGRES_BIN_DIR,
      /** The source tarball; unset: the cache's copy, then the vendored one (lab/logto/logto-source.ts). */
      tarball: settings.LOGTO_TARBALL,
      /** The Single-page application the tab has the learner create, as Logto's Console names it. */
      appName: 'MCP Inspector',
      /** Its App ID, which Logto chooses: known after provisioning (`lab up` sets it). */
      appId: settings.LOGTO_APP_ID,
      /** The Console's administrator the lab provisions (loopback only, like Keycloak's admin/admin). */
      adminUsername: settings.LOGTO_ADMIN_USERNAME ?? 'admin',
      adminPassword: settings.LOGTO_ADMIN_PASSWORD ?? 'admin',
      readyTimeoutMs: milliseconds('LOGTO_READY_TIMEOUT_MS', 60_000),
    },
    classroom: {
      /**
       * The room's progress page and where `lab check --report` sends results: a small server of
       * the lab's (lab/classroom/progress-server.ts), beside the whoami server.
       */
      progressPort,
      progressUrl: `http://${publicHost}:${progressPort}`,
    },
    inspector: {
      /** The official @modelcontextprotocol/inspector, pinned in package.json (and in .env for compose). */
      version: read('INSPECTOR_VERSION'),
      port: inspectorPort,
      url: inspectorUrl,
      // The Inspector's other ports keep their distance from its UI port (6275, 6276, 6278 by
      // default), so moving INSPECTOR_PORT moves them all.
      sandboxPort: port('INSPECTOR_SANDBOX_PORT', inspectorPort + 1),
      appOriginPort: port('INSPECTOR_APP_ORIGIN_PORT', inspectorPort + 4),
      /** The token the Inspector's UI sends to its backend; `lab up` makes a random one when unset. */
      apiToken: settings.INSPECTOR_API_TOKEN,
      readyTimeoutMs: milliseconds('INSPECTOR_READY_TIMEOUT_MS', 30_000),
    },
    conformance: {
      /**
       * `npm run conformance`: the suite's `authorization` command listens here, on 127.0.0.1, for
       * the browser's redirect (a redirect URI of the realm's `lab-conformance` client). Beside the
       * Inspector's ports (+0 to +5 are its UI, sandbox, CLI callback, app origin and documents).
       */
      callbackPort: port('LAB_CONFORMANCE_CALLBACK_PORT', inspectorPort + 6),
    },
  });
}

export type LabConfig = ReturnType<typeof loadConfig>;

/** The same lab with some settings changed; everything derived from them follows. */
export function withSettings(config: LabConfig, overrides: Settings): LabConfig {
  return loadConfig({ ...config.settings, ...overrides });
}

/**
 * What a whoami server needs, and nothing else, as the environment variables both servers
 * (server/whoami.ts, server/python/whoami.py) read. docker-compose.yml sets the same variables.
 */
export function whoamiServerEnv(config: LabConfig): Record<string, string> {
  const { provider } = config;
  return {
    WHOAMI_PORT: String(config.server.port),
    WHOAMI_HOST: config.server.host,
    WHOAMI_URL: config.server.url,
    WHOAMI_ISSUER: provider.issuer,
    WHOAMI_ISSUER_BACKCHANNEL:
      provider.kind === 'keycloak' ? `${config.keycloak.internalUrl}/realms/${config.realm.name}` : provider.issuer,
    WHOAMI_ALLOWED_HOSTS: config.server.allowedHosts.join(','),
    WHOAMI_SCOPE: config.server.whoamiScope,
    WHOAMI_ADMIN_SCOPE: config.server.adminScope,
    MCP_REVISION: config.server.revision,
    AUTH_MODE: config.server.mode,
    WHOAMI_AUTH_SERVER_TYPE: provider.type,
    ...(provider.userEndpoint ? { WHOAMI_USER_ENDPOINT: provider.userEndpoint } : {}),
  };
}

/**
 * Every port the lab listens on when it runs (Keycloak, the whoami server, the Inspector and its
 * helpers, the progress page, the metadata documents): a learner's own server keeps off them, or
 * the lab's next start finds its port taken.
 */
export function labPorts(config: LabConfig): number[] {
  return unique([
    config.keycloak.port,
    config.keycloak.managementPort,
    config.server.port,
    config.inspector.port,
    config.inspector.sandboxPort,
    config.inspector.appOriginPort,
    Number(new URL(config.client.inspectorCliRedirectUri).port),
    config.classroom.progressPort,
    config.cimd.port,
    ...(config.provider.port ? [config.provider.port] : []),
    ...(config.provider.kind === 'logto' ? [config.logto.adminPort, config.logto.dbPort] : []),
  ]);
}

/** What the lab, its servers and the Inspector need to know of the tab's authorization server. */
export interface ProviderSettings {
  kind: ProviderKind;
  /** How messages name it: "Keycloak", "the OIDC provider", "the OAuth 2.0 server". */
  displayName: string;
  /** The issuer tokens carry and the learner's code names. */
  issuer: string;
  /** `fetchServerConfig(issuer, { type })`: the OAuth 2 tab's server has no OpenID discovery. */
  type: 'oidc' | 'oauth';
  /** The lab's own authorization server's port (oidc, oauth); Keycloak's are `config.keycloak`'s. */
  port: number | undefined;
  /** The OAuth 2 tab's user endpoint (GitHub's `/user`), which its verifyToken calls instead of userinfo. */
  userEndpoint: string | undefined;
  /** The pre-registered public client the Inspector's Client ID names (the tab's manual steps). */
  clientId: string;
  /** What the Inspector's Scopes field gets: the tab's scope. */
  scope: string;
}

function providerFor(
  kind: ProviderKind,
  {
    publicHost,
    keycloakIssuer,
    clientId,
    oidcPort,
    oauthPort,
    logto,
  }: {
    publicHost: string;
    keycloakIssuer: string;
    clientId: string;
    oidcPort: number;
    oauthPort: number;
    logto: { port: number; url: string; appId: string | undefined };
  },
): ProviderSettings {
  switch (kind) {
    case 'keycloak':
      return {
        kind,
        displayName: 'Keycloak',
        issuer: keycloakIssuer,
        type: 'oidc',
        port: undefined,
        userEndpoint: undefined,
        clientId,
        scope: 'openid profile email',
      };
    case 'oidc': {
      const issuer = `http://${publicHost}:${oidcPort}`;
      return {
        kind,
        displayName: 'the OIDC provider',
        issuer,
        type: 'oidc',
        port: oidcPort,
        userEndpoint: undefined,
        clientId,
        scope: 'openid profile email',
      };
    }
    case 'oauth': {
      const issuer = `http://${publicHost}:${oauthPort}`;
      return {
        kind,
        displayName: 'the OAuth 2.0 server',
        issuer,
        type: 'oauth',
        port: oauthPort,
        userEndpoint: `${issuer}/user`,
        clientId,
        scope: 'profile',
      };
    }
    case 'logto':
      return {
        kind,
        displayName: 'Logto',
        issuer: `${logto.url}/oidc`,
        type: 'oidc',
        port: logto.port,
        userEndpoint: undefined,
        // Logto chooses the App ID; until provisioning has made the application it is unknown.
        clientId: logto.appId ?? '',
        scope: 'openid profile email',
      };
  }
}

/** The first refusal that applies, as its line. */
function refusal(candidates: Array<false | [MessageKey, MessageValues]>): string | undefined {
  const found = candidates.find((candidate) => candidate !== false);
  return found && t(...found);
}

/**
 * "NAME must be "a" or "b", got "raw"" (two values) or "NAME must be "a", "b", "c", got "raw"": a
 * setting outside the values it may take.
 */
function notOneOf(name: string, values: readonly string[], raw: string | undefined): LabError {
  const quoted = values.map((value) => `"${value}"`);
  const line =
    quoted.length === 2
      ? t('config.setting.not-either', { name, first: quoted[0]!, second: quoted[1]!, value: String(raw) })
      : t('config.setting.not-one-of', { name, choices: quoted.join(t('config.list.separator')), value: String(raw) });
  return new LabError('ERR_CONFIG', line);
}

function readLocale(settings: Settings): { tag: Locale; source: string } {
  const locale = localeFrom(settings);
  if (locale) return locale;
  throw notOneOf('LAB_LOCALE', locales, settings.LAB_LOCALE);
}

function readProviderKind(raw: string): ProviderKind {
  if ((providerKinds as readonly string[]).includes(raw)) return raw as ProviderKind;
  throw notOneOf('LAB_PROVIDER', providerKinds, raw);
}

function readPort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  // Digits only: Number() would also take 0x1F90 or 1e3.
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LabError('ERR_CONFIG', t('config.setting.not-a-port', { name, value: raw }));
  }
  return port;
}

function readMilliseconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const milliseconds = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(milliseconds)) {
    throw new LabError('ERR_CONFIG', t('config.setting.not-milliseconds', { name, value: raw }));
  }
  return milliseconds;
}

/**
 * LAB_PUBLIC_HOST as it goes into URLs: a host name (any case: host names are not case-sensitive)
 * or an address, an IPv6 one in brackets.
 */
function readPublicHost(raw: string): string {
  const bare = raw.includes(':') && !raw.startsWith('[') && URL.canParse(`http://[${raw}]`);
  if (bare || !URL.canParse(`http://${raw}`) || new URL(`http://${raw}`).hostname !== raw.toLowerCase()) {
    throw new LabError('ERR_CONFIG', t(bare ? 'config.public-host.bare-ipv6' : 'config.public-host.invalid', { value: raw }));
  }
  return raw.toLowerCase();
}

/** A URL setting: http or https, or undefined when unset. */
function readUrl(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^https?:\/\/[^/]/.test(raw) || !URL.canParse(raw)) {
    throw new LabError('ERR_CONFIG', t('config.setting.not-a-url', { name, value: raw }));
  }
  return raw;
}

function readMode(raw: string): AuthMode {
  if (raw === 'tutorial' || raw === 'spec') return raw;
  throw notOneOf('AUTH_MODE', ['tutorial', 'spec'], raw);
}

function readRegistration(raw: string): ClientRegistration {
  if ((clientRegistrations as readonly string[]).includes(raw)) return raw as ClientRegistration;
  throw notOneOf('LAB_CLIENT_REGISTRATION', clientRegistrations, raw);
}

function readFeatures(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const features = raw
    .split(',')
    .map((feature) => feature.trim())
    .filter(Boolean);
  const bad = features.find((feature) => !/^[a-z0-9-]+(:v\d+)?$/.test(feature));
  if (bad) throw new LabError('ERR_CONFIG', t('config.setting.not-features', { value: raw }));
  return features;
}

function readRevision(raw: string): McpRevision {
  if ((mcpRevisions as readonly string[]).includes(raw)) return raw as McpRevision;
  throw notOneOf('MCP_REVISION', mcpRevisions, raw);
}

function readSdk(raw: string): WhoamiSdk {
  if (raw === 'node' || raw === 'python') return raw;
  throw notOneOf('WHOAMI_SDK', ['node', 'python'], raw);
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

type DeepReadonly<T> = T extends (infer E)[]
  ? ReadonlyArray<DeepReadonly<E>>
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}
