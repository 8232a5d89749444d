/**
 * What `lab check` says when a checkpoint fails: the likely mistake in the learner's terms, the
 * tutorial section to reread, and the line of code it is about — in the tab (Node.js or Python)
 * the server seems to be written in. Each diagnosis has a stable id (tests and --json use it).
 */
import type { WhoamiSdk } from '../../core/config.ts';

export type Sdk = WhoamiSdk;

export interface Diagnosis {
  id: DiagnosisId;
  /** The likely mistake. */
  mistake: string;
  /** The tutorial section: its title and anchor. */
  section: { title: string; anchor: string };
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

export const diagnoses = {
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
    mistake:
      'no authorization server metadata at /.well-known/oauth-authorization-server (a 401 there means the request fell through to the bearer middleware), so a client cannot find Keycloak: the metadata route is missing, or it comes after the bearer middleware',
    section: sections.updateServer,
    code: {
      node: 'app.use(mcpAuth.delegatedRouter());  // before app.use(mcpAuth.bearerAuth(verifyToken))',
      python: 'mcp_auth.metadata_route(),  # in Starlette(routes=[…]), outside the Mount with the bearer middleware',
    },
  },
  'docker-host-trap': {
    mistake:
      'the metadata names Keycloak by a container host name (e.g. http://keycloak:8080) that browsers and the Inspector cannot reach: the Docker host-name trap',
    section: sections.setUpAuth,
    code: {
      node: "const issuer = 'http://localhost:8080/realms/mcp-realm';  // the issuer browsers see",
      python: 'issuer = "http://localhost:8080/realms/mcp-realm"',
    },
  },
  'wrong-issuer': {
    mistake: "the metadata names another issuer than the lab's realm: the issuer URL in the code is not the realm's",
    section: sections.setUpAuth,
    code: {
      node: "fetchServerConfig('<the issuer of realm mcp-realm>', { type: 'oidc' })",
      python: 'fetch_server_config("<the issuer of realm mcp-realm>", type=AuthServerType.OIDC)',
    },
  },
  'resource-metadata-wrong': {
    mistake: "the protected resource metadata does not name this server as `resource` or the realm's issuer among `authorization_servers`",
    section: sections.updateServer,
    code: { node: "protectedResources: { metadata: { resource: <this server's URL>, authorizationServers: [{ issuer, type: 'oidc' }] } }" },
  },
  'login-refused': {
    mistake: 'Keycloak refused the sign-in: wrong username or password, or the account is locked or disabled',
    section: sections.registerClient,
    code: {},
  },
  'login-failed': {
    mistake: "the sign-in at Keycloak did not complete: the client's redirect URI or the metadata's endpoints do not fit the lab",
    section: sections.registerClient,
    code: {},
  },
  'valid-token-refused': {
    mistake:
      'a token Keycloak just issued was refused: verifyToken does not accept a valid token (the userinfo call, its Authorization header, or the issuer)',
    section: sections.setUpAuth,
    code: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the line of code shown to the learner, not a template
      node: 'fetch(userinfoEndpoint, { headers: { Authorization: `Bearer ${token}` } })',
      python: 'requests.get(userinfo_endpoint, headers={"Authorization": f"Bearer {token}"})',
    },
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
    mistake:
      'a token Keycloak never issued was accepted: verifyToken does not really check the token (it must ask Keycloak and throw when Keycloak says no)',
    section: sections.setUpAuth,
    code: {
      node: "if (!response.ok) throw new MCPAuthTokenVerificationError('token_verification_failed', response);",
      python: 'response.raise_for_status()  # inside try: … except: raise MCPAuthTokenVerificationException(…)',
    },
  },
} satisfies Record<string, Omit<Diagnosis, 'id'>>;

export type DiagnosisId = keyof typeof diagnoses;

export function diagnosis(id: DiagnosisId): Diagnosis {
  return { id, ...diagnoses[id] };
}

/** "— the mistake; tutorial: "Section" (#anchor); code: …" in the tab `sdk` (both when unknown). */
export function describeDiagnosis({ mistake, section, code }: Diagnosis, sdk: Sdk | undefined): string {
  const lines = sdk
    ? [code[sdk]].filter(Boolean)
    : Object.entries(code).map(([tab, line]) => `${tab === 'node' ? 'Node.js' : 'Python'}: ${line}`);
  return [mistake, `tutorial: "${section.title}" (${section.anchor})`, ...lines.map((line) => `code: ${line!.replace(/\n/g, ' ')}`)].join(
    '; ',
  );
}
