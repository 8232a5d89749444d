/**
 * What `lab check` says when a checkpoint fails: the likely mistake in the learner's terms, the
 * tutorial section to reread, and the line of code it is about — in the tab (Node.js or Python)
 * the server seems to be written in, and for the tutorial's provider tab the lab plays (Keycloak,
 * OIDC, OAuth 2: `config.provider`), whose authorization server the mistakes name. Each diagnosis
 * has a stable id (tests and --json use it).
 */
import { loadConfig, type ProviderSettings, type WhoamiSdk } from '../../core/config.ts';
import { revision2026Diagnoses } from './revision-2026/diagnoses.ts';

export type Sdk = WhoamiSdk;

export interface Diagnosis {
  id: CheckDiagnosisId;
  /** The likely mistake. */
  mistake: string;
  /** The tutorial section: its title and anchor; or, with `page`, a section of one of the lab's docs. */
  section: { title: string; anchor: string; page?: string };
  /** The line(s) of code it is about, per tab. */
  code: Partial<Record<Sdk, string>>;
}

const sections = {
  createServer: { title: 'Create the MCP server', anchor: '#create-the-mcp-server' },
  checkpoint1: { title: 'Checkpoint: Run the whoami tool', anchor: '#checkpoint-run-the-whoami-tool' },
  setUpAuth: { title: 'Set up MCP auth', anchor: '#set-up-mcp-auth' },
  updateServer: { title: 'Update MCP server', anchor: '#update-mcp-server' },
  registerClient: { title: 'Register MCP inspector as a client', anchor: '#register-mcp-inspector-as-a-client' },
  checkpoint2: {
    title: 'Checkpoint: Run the whoami tool with authentication',
    anchor: '#checkpoint-run-the-whoami-tool-with-authentication',
  },
} as const;

/** The authorization servers the diagnoses speak of when the lab plays no other tab: the tutorial's Keycloak, and the OAuth 2 tab's. */
const defaultTabs = {
  keycloak: loadConfig({}).provider,
  oauth: loadConfig({ LAB_PROVIDER: 'oauth' }).provider,
  logto: loadConfig({ LAB_PROVIDER: 'logto' }).provider,
};

/** A name at the start of a sentence: "The OIDC provider". */
export function capitalised(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The catalogue, worded for `tab`. With Keycloak (the tutorial's tab) every text is the one the
 * lab has always printed; the OIDC and OAuth 2 tabs name their server, its issuer and, for OAuth 2,
 * `type: 'oauth'` and the user endpoint. The OAuth 2 tab's own mistakes speak of the lab's OAuth
 * 2.0 server (the tab's, else the default one) whichever tab is played.
 */
function catalogue(tab: ProviderSettings) {
  const keycloak = tab.kind === 'keycloak';
  const name = tab.displayName;
  const Name = capitalised(name);
  const oauth = tab.kind === 'oauth' ? tab : defaultTabs.oauth;
  const userEndpoint = oauth.userEndpoint ?? `${oauth.issuer}/user`;
  const logto = tab.kind === 'logto' ? tab : defaultTabs.logto;
  const logtoOrigin = new URL(logto.issuer).origin;
  // The tutorial's lines with the tab's values: the Keycloak tab's text keeps its placeholder.
  const issuerArgument = keycloak ? '<the issuer of realm mcp-realm>' : tab.issuer;
  const pythonType = (type: ProviderSettings['type']) => `AuthServerType.${type.toUpperCase()}`;
  /** verifyToken's request for the user's identity, to `node` (an expression) or `python`. */
  const askIdentity = (node: string, python: string) => ({
    node: `fetch(${node}, { headers: { Authorization: \`Bearer \${token}\` } })`,
    python: `requests.get(${python}, headers={"Authorization": f"Bearer {token}"})`,
  });
  return {
    'not-listening': {
      // Not "use 3001": with the lab running, 3001 is the lab's own server; a project `lab init`
      // made has its port in .env.
      mistake:
        'nothing listens there: the server is not running, or it listens on another port (in a folder `lab init` made: the PORT in its .env, which `npm start` and start.sh use)',
      section: sections.createServer,
      code: { node: 'const PORT = process.env.PORT; … app.listen(PORT);', python: 'uvicorn whoami:app --port "$PORT"  # start.sh' },
    },
    'no-mcp-endpoint': {
      mistake: 'no MCP endpoint answers at /sse (nor at /mcp): the SSE route is missing or mounted elsewhere',
      section: sections.createServer,
      code: {
        node: "app.get('/sse', async (_req, res) => { … new SSEServerTransport('/messages', res) … })",
        python: "Mount('/', app=mcp.sse_app())",
      },
    },
    'sse-no-messages-route': {
      mistake: 'the SSE stream opens, but the messages it announces cannot be posted (404): the /messages route is missing',
      section: sections.createServer,
      code: {
        node: "app.post('/messages', async (req, res) => { … transport.handlePostMessage(req, res, req.body) … })",
        python: "Mount('/', app=mcp.sse_app())  # serves both /sse and /messages/",
      },
    },
    'whoami-missing': {
      mistake: 'the server lists no `whoami` tool',
      section: sections.createServer,
      code: { node: "server.tool('whoami', async () => { … })", python: '@mcp.tool()\ndef whoami() -> dict[str, Any]: …' },
    },
    'whoami-not-unauthenticated': {
      mistake: 'before auth is added, whoami should answer {"error": "Not authenticated"}',
      section: sections.createServer,
      code: { node: "text: JSON.stringify({ error: 'Not authenticated' })", python: 'return {"error": "Not authenticated"}' },
    },
    'no-bearer-middleware': {
      mistake: 'whoami answered without a token: there is no bearer middleware, so anyone can call it',
      section: sections.updateServer,
      code: {
        node: 'app.use(mcpAuth.bearerAuth(verifyToken));  // before the /sse and /messages routes',
        python: "Mount('/', app=mcp.sse_app(), middleware=[bearer_auth])",
      },
    },
    'bearer-after-routes': {
      mistake:
        'whoami answered without a token although a bearer middleware exists: it is added after the /sse and /messages routes, so it never sees their requests',
      section: sections.updateServer,
      code: {
        node: "app.use(mcpAuth.bearerAuth(verifyToken)) must come before app.get('/sse', …) and app.post('/messages', …)",
        python: "Mount('/', app=mcp.sse_app(), middleware=[bearer_auth])",
      },
    },
    'no-metadata-route': {
      mistake: `no authorization server metadata at /.well-known/oauth-authorization-server (a 401 there means the request fell through to the bearer middleware), so a client cannot find ${name}: the metadata route is missing, or it comes after the bearer middleware`,
      section: sections.updateServer,
      code: {
        node: 'app.use(mcpAuth.delegatedRouter());  // before app.use(mcpAuth.bearerAuth(verifyToken))',
        python: 'mcp_auth.metadata_route(),  # in Starlette(routes=[…]), outside the Mount with the bearer middleware',
      },
    },
    'docker-host-trap': {
      mistake: `the metadata names ${name} by a container host name (e.g. http://${keycloak ? 'keycloak:8080' : `${tab.kind}-provider:${tab.port}`}) that browsers and the Inspector cannot reach: the Docker host-name trap`,
      section: sections.setUpAuth,
      code: {
        node: `const issuer = '${keycloak ? 'http://localhost:8080/realms/mcp-realm' : tab.issuer}';  // the issuer browsers see`,
        python: `issuer = "${keycloak ? 'http://localhost:8080/realms/mcp-realm' : tab.issuer}"`,
      },
    },
    'wrong-issuer': {
      mistake: keycloak
        ? "the metadata names another issuer than the lab's realm: the issuer URL in the code is not the realm's"
        : `the metadata names another issuer than ${name}'s: the issuer URL in the code is not ${tab.issuer}`,
      section: sections.setUpAuth,
      code: {
        node: `fetchServerConfig('${issuerArgument}', { type: '${tab.type}' })`,
        python: `fetch_server_config("${issuerArgument}", type=${pythonType(tab.type)})`,
      },
    },
    'resource-metadata-wrong': {
      mistake: `the protected resource metadata does not name this server as \`resource\` or ${keycloak ? "the realm's issuer" : `${name}'s issuer (${tab.issuer})`} among \`authorization_servers\``,
      section: sections.updateServer,
      code: {
        node: `protectedResources: { metadata: { resource: <this server's URL>, authorizationServers: [{ issuer, type: '${tab.type}' }] } }`,
      },
    },
    'login-refused': {
      // The lab's own servers lock no account.
      mistake: `${Name} refused the sign-in: wrong username or password${keycloak ? ', or the account is locked or disabled' : ''}`,
      section: sections.registerClient,
      code: {},
    },
    'login-failed': {
      mistake: `the sign-in at ${name} did not complete: the client's redirect URI or the metadata's endpoints do not fit the lab`,
      section: sections.registerClient,
      code: {},
    },
    'valid-token-refused': {
      mistake: `a token ${name} just issued was refused: verifyToken does not accept a valid token (the ${tab.type === 'oauth' ? 'user endpoint' : 'userinfo'} call, its Authorization header, or the issuer)`,
      section: sections.setUpAuth,
      code:
        tab.type === 'oauth' ? askIdentity(`'${userEndpoint}'`, `"${userEndpoint}"`) : askIdentity('userinfoEndpoint', 'userinfo_endpoint'),
    },
    'tool-ignores-auth-info': {
      mistake:
        'whoami answers {"error": "Not authenticated"} with a valid token: the tool ignores the auth info the bearer middleware gives it',
      section: sections.updateServer,
      code: {
        node: "server.tool('whoami', ({ authInfo }) => … JSON.stringify(authInfo?.claims ?? { error: 'Not authenticated' }) …)",
        python: 'return mcp_auth.auth_info.claims if mcp_auth.auth_info else {"error": "Not authenticated"}',
      },
    },
    'fixed-user-claims': {
      mistake: "whoami returns someone else's claims: they must be the claims of the token it was called with, not fixed ones",
      section: sections.updateServer,
      code: {
        node: 'JSON.stringify(authInfo?.claims …)  // the claims verifyToken returned for this token',
        python: 'mcp_auth.auth_info.claims',
      },
    },
    'verify-accepts-any-token': {
      mistake: `a token ${name} never issued was accepted: verifyToken does not really check the token (it must ask ${name} and throw when ${keycloak ? 'Keycloak' : 'it'} says no)`,
      section: sections.setUpAuth,
      code: {
        node: "if (!response.ok) throw new MCPAuthTokenVerificationError('token_verification_failed', response);",
        python: 'response.raise_for_status()  # inside try: … except: raise MCPAuthTokenVerificationException(…)',
      },
    },
    // The OAuth 2 tab's own mistakes (docs/providers.md): its server is no OpenID provider.
    'oidc-discovery-on-oauth-server': {
      mistake: `the code asks ${oauth.displayName} for OpenID Connect discovery (type 'oidc'), which it does not do (${oauth.issuer}/.well-known/openid-configuration answers 404), so the server stops at start with "Failed to fetch server config from …/.well-known/openid-configuration": the OAuth 2 tab's metadata is RFC 8414's, type 'oauth'`,
      section: sections.setUpAuth,
      code: {
        node: `fetchServerConfig('${oauth.issuer}', { type: 'oauth' })`,
        python: `fetch_server_config("${oauth.issuer}", type=AuthServerType.OAUTH)`,
      },
    },
    // The Logto tab's: its issuer is its endpoint with /oidc, which the Console shows.
    'logto-issuer-without-oidc': {
      mistake: `the code's issuer is Logto's endpoint without /oidc (${logtoOrigin}/.well-known/openid-configuration answers 404), so the server stops at start with "Failed to fetch server config from …/.well-known/openid-configuration": Logto's issuer is ${logto.issuer}`,
      section: sections.setUpAuth,
      code: {
        node: `const authIssuer = '${logto.issuer}';`,
        python: `auth_issuer = "${logto.issuer}"`,
      },
    },
    'user-endpoint-wrong': {
      mistake: `verifyToken asks the wrong URL who the token belongs to: ${oauth.displayName}'s user endpoint is ${userEndpoint}, which accepts the same token (an OAuth 2 server has no userinfo; the OAuth 2 tab calls the provider's own user API)`,
      section: sections.setUpAuth,
      code: askIdentity(`'${userEndpoint}'`, `"${userEndpoint}"`),
    },
    'no-userinfo-in-oauth-metadata': {
      mistake: `verifyToken calls the metadata's userinfo endpoint, which ${oauth.displayName}'s metadata (RFC 8414) does not have: the URL is undefined, and every request with a token fails (500, "Failed to parse URL from undefined"); the OAuth 2 tab calls the user endpoint, ${userEndpoint}`,
      section: sections.setUpAuth,
      code: {
        node: `fetch('${userEndpoint}', { headers: { Authorization: \`Bearer \${token}\` } })  // not mcpAuth.config.server.metadata.userinfoEndpoint`,
        python: `requests.get("${userEndpoint}", headers={"Authorization": f"Bearer {token}"})  # not the metadata's userinfo_endpoint`,
      },
    },
    'oauth-scope-openid': {
      mistake: `the sign-in asks ${oauth.displayName} for the scope openid, which an OAuth 2 server refuses (invalid_scope): ask for ${oauth.scope} — in the Inspector, Auth Params {"scope": "${oauth.scope}"}; in the protected resource metadata, scopesSupported ['${oauth.scope}']`,
      section: sections.registerClient,
      code: {
        node: `protectedResources: { metadata: { …, scopesSupported: ['${oauth.scope}'] } }  // not openid profile email`,
        python: `# in the MCP Inspector: Auth Params {"scope": "${oauth.scope}"}, not "openid profile email"`,
      },
    },
  } satisfies Record<string, Omit<Diagnosis, 'id'>>;
}

/** The catalogue of the Keycloak tab, the tutorial's: what `lab check` says unless LAB_PROVIDER names another tab. */
export const diagnoses = catalogue(defaultTabs.keycloak);

/** The tutorial's diagnoses. */
export type DiagnosisId = keyof typeof diagnoses;
/** What `lab check --revision 2026-07-28` says of today's requirements (revision-2026/diagnoses.ts). */
export type Revision2026DiagnosisId = keyof typeof revision2026Diagnoses;
/** Everything `lab check` can say. */
export type CheckDiagnosisId = DiagnosisId | Revision2026DiagnosisId;

// One id, one diagnosis: a revision one taking a tutorial one's id would hide it.
const sharedIds = Object.keys(revision2026Diagnoses).filter((id) => id in diagnoses);
if (sharedIds.length > 0)
  throw new TypeError(`diagnosis ids in both the tutorial's catalogue and revision 2026-07-28's: ${sharedIds.join(', ')}`);

function isRevision2026Id(id: CheckDiagnosisId): id is Revision2026DiagnosisId {
  return id in revision2026Diagnoses;
}

/** The catalogue worded for the tab `tab` (config.provider); Keycloak's is `diagnoses`. */
export function diagnosesFor(tab: ProviderSettings): typeof diagnoses {
  return tab.kind === 'keycloak' ? diagnoses : catalogue(tab);
}

/** A diagnosis with its id, worded for the tab `tab` (Keycloak's when omitted). */
export function diagnosis(id: CheckDiagnosisId, tab?: ProviderSettings): Diagnosis {
  if (isRevision2026Id(id)) return { id, ...revision2026Diagnoses[id] };
  return { id, ...(tab ? diagnosesFor(tab) : diagnoses)[id] };
}

/** "— the mistake; tutorial: "Section" (#anchor) (or see: page#anchor); code: …" in the tab `sdk` (both when unknown). */
export function describeDiagnosis({ mistake, section, code }: Diagnosis, sdk: Sdk | undefined): string {
  const lines = sdk
    ? [code[sdk]].filter(Boolean)
    : Object.entries(code).map(([tab, line]) => `${tab === 'node' ? 'Node.js' : 'Python'}: ${line}`);
  const where = section.page
    ? `see: ${section.page}${section.anchor} ("${section.title}")`
    : `tutorial: "${section.title}" (${section.anchor})`;
  return [mistake, where, ...lines.map((line) => `code: ${line!.replace(/\n/g, ' ')}`)].join('; ');
}
