/**
 * What `lab check` says when a checkpoint fails: the likely mistake in the learner's terms, the
 * tutorial section to reread, and the line of code it is about — in the tab (Node.js or Python)
 * the server seems to be written in, and for the tutorial's provider tab the lab plays (Keycloak,
 * OIDC, OAuth 2: `config.provider`), whose authorization server the mistakes name. Each diagnosis
 * has a stable id (tests and --json use it).
 */
import { loadConfig, type ProviderSettings, type WhoamiSdk } from '../../core/config.ts';
import { t, type MessageKey, type MessageValues } from '../../core/messages.ts';
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

/** The tutorial's sections `lab check` points at, by anchor (the same in every language; the titles are the catalogue's). */
type TutorialAnchor =
  | 'create-the-mcp-server'
  | 'checkpoint-run-the-whoami-tool'
  | 'set-up-mcp-auth'
  | 'update-mcp-server'
  | 'register-mcp-inspector-as-a-client'
  | 'checkpoint-run-the-whoami-tool-with-authentication';

/** A section of the tutorial: its title as the page in the active language renders it (a getter), its anchor. */
export function tutorialSection(anchor: TutorialAnchor): Diagnosis['section'] {
  return {
    get title() {
      return t(`check.section.${anchor}`);
    },
    anchor: `#${anchor}`,
  };
}

/** Every tutorial section a diagnosis may point at, by anchor: the zh-CN titles are checked against the page (e2e/unit/messages-check.test.ts). */
export const tutorialAnchors: readonly TutorialAnchor[] = [
  'create-the-mcp-server',
  'checkpoint-run-the-whoami-tool',
  'set-up-mcp-auth',
  'update-mcp-server',
  'register-mcp-inspector-as-a-client',
  'checkpoint-run-the-whoami-tool-with-authentication',
];

const sections = {
  createServer: tutorialSection('create-the-mcp-server'),
  checkpoint1: tutorialSection('checkpoint-run-the-whoami-tool'),
  setUpAuth: tutorialSection('set-up-mcp-auth'),
  updateServer: tutorialSection('update-mcp-server'),
  registerClient: tutorialSection('register-mcp-inspector-as-a-client'),
  checkpoint2: tutorialSection('checkpoint-run-the-whoami-tool-with-authentication'),
} as const;

/**
 * A mistake in words, formatted when read (a getter): in the learner's language on the terminal,
 * in English in --json. `values` is called then too, so names it holds are the active language's.
 */
export function mistakeIn(
  key: MessageKey,
  values: () => MessageValues = () => ({}),
  rest: Omit<Diagnosis, 'id' | 'mistake'>,
): Omit<Diagnosis, 'id'> {
  return {
    get mistake() {
      return tNamed(key, values());
    },
    ...rest,
  };
}

/** What the tutorial's whoami answers without a user, as the mistakes quote it. */
const notAuthenticatedAnswer = '{"error": "Not authenticated"}';

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

/** How the lines name the tab's authorization server in the active language ("the OIDC provider", "OIDC 提供商"). */
export function providerName(tab: Pick<ProviderSettings, 'kind' | 'displayName'>): string {
  return t('check.provider.name', { kind: tab.kind, name: tab.displayName });
}

/**
 * A message that names a tab's authorization server (`providerName`). The Chinese messages put a
 * space after the name, as after Keycloak; a name that ends in Han (OIDC 提供商, OAuth 2.0 服务器)
 * takes none before Han or full-width punctuation.
 */
export function tNamed(key: MessageKey, values: MessageValues): string {
  return t(key, values).replace(/(提供商|服务器) (?=[\p{Script=Han}，。；：、（）“”])/gu, '$1');
}

/**
 * The catalogue, worded for `tab`. With Keycloak (the tutorial's tab) every text is the one the
 * lab has always printed; the OIDC and OAuth 2 tabs name their server, its issuer and, for OAuth 2,
 * `type: 'oauth'` and the user endpoint. The OAuth 2 tab's own mistakes speak of the lab's OAuth
 * 2.0 server (the tab's, else the default one) whichever tab is played. The mistakes are the
 * message catalogue's (core/messages/<locale>/check.json, `check.diagnosis.*`); the code stays code.
 */
function catalogue(tab: ProviderSettings) {
  const keycloak = tab.kind === 'keycloak';
  const isKeycloak = keycloak ? 'yes' : 'no';
  const name = () => providerName(tab);
  const oauth = tab.kind === 'oauth' ? tab : defaultTabs.oauth;
  const oauthName = () => providerName(oauth);
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
    'not-listening': mistakeIn('check.diagnosis.not-listening', undefined, {
      // Not "use 3001": with the lab running, 3001 is the lab's own server; a project `lab init`
      // made has its port in .env.
      section: sections.createServer,
      code: { node: 'const PORT = process.env.PORT; … app.listen(PORT);', python: 'uvicorn whoami:app --port "$PORT"  # start.sh' },
    }),
    'no-mcp-endpoint': mistakeIn('check.diagnosis.no-mcp-endpoint', undefined, {
      section: sections.createServer,
      code: {
        node: "app.get('/sse', async (_req, res) => { … new SSEServerTransport('/messages', res) … })",
        python: "Mount('/', app=mcp.sse_app())",
      },
    }),
    'sse-no-messages-route': mistakeIn('check.diagnosis.sse-no-messages-route', undefined, {
      section: sections.createServer,
      code: {
        node: "app.post('/messages', async (req, res) => { … transport.handlePostMessage(req, res, req.body) … })",
        python: "Mount('/', app=mcp.sse_app())  # serves both /sse and /messages/",
      },
    }),
    'whoami-missing': mistakeIn('check.diagnosis.whoami-missing', undefined, {
      section: sections.createServer,
      code: { node: "server.tool('whoami', async () => { … })", python: '@mcp.tool()\ndef whoami() -> dict[str, Any]: …' },
    }),
    'whoami-not-unauthenticated': mistakeIn('check.diagnosis.whoami-not-unauthenticated', () => ({ answer: notAuthenticatedAnswer }), {
      section: sections.createServer,
      code: { node: "text: JSON.stringify({ error: 'Not authenticated' })", python: 'return {"error": "Not authenticated"}' },
    }),
    'no-bearer-middleware': mistakeIn('check.diagnosis.no-bearer-middleware', undefined, {
      section: sections.updateServer,
      code: {
        node: 'app.use(mcpAuth.bearerAuth(verifyToken));  // before the /sse and /messages routes',
        python: "Mount('/', app=mcp.sse_app(), middleware=[bearer_auth])",
      },
    }),
    'bearer-after-routes': mistakeIn('check.diagnosis.bearer-after-routes', undefined, {
      section: sections.updateServer,
      code: {
        node: "app.use(mcpAuth.bearerAuth(verifyToken)) must come before app.get('/sse', …) and app.post('/messages', …)",
        python: "Mount('/', app=mcp.sse_app(), middleware=[bearer_auth])",
      },
    }),
    'no-metadata-route': mistakeIn('check.diagnosis.no-metadata-route', () => ({ name: name() }), {
      section: sections.updateServer,
      code: {
        node: 'app.use(mcpAuth.delegatedRouter());  // before app.use(mcpAuth.bearerAuth(verifyToken))',
        python: 'mcp_auth.metadata_route(),  # in Starlette(routes=[…]), outside the Mount with the bearer middleware',
      },
    }),
    'docker-host-trap': mistakeIn(
      'check.diagnosis.docker-host-trap',
      () => ({ name: name(), host: keycloak ? 'keycloak:8080' : `${tab.kind}-provider:${tab.port}` }),
      {
        section: sections.setUpAuth,
        code: {
          node: `const issuer = '${keycloak ? 'http://localhost:8080/realms/mcp-realm' : tab.issuer}';  // the issuer browsers see`,
          python: `issuer = "${keycloak ? 'http://localhost:8080/realms/mcp-realm' : tab.issuer}"`,
        },
      },
    ),
    'wrong-issuer': mistakeIn('check.diagnosis.wrong-issuer', () => ({ keycloak: isKeycloak, name: name(), issuer: tab.issuer }), {
      section: sections.setUpAuth,
      code: {
        node: `fetchServerConfig('${issuerArgument}', { type: '${tab.type}' })`,
        python: `fetch_server_config("${issuerArgument}", type=${pythonType(tab.type)})`,
      },
    }),
    'resource-metadata-wrong': mistakeIn(
      'check.diagnosis.resource-metadata-wrong',
      () => ({ keycloak: isKeycloak, name: name(), issuer: tab.issuer }),
      {
        section: sections.updateServer,
        code: {
          node: `protectedResources: { metadata: { resource: <this server's URL>, authorizationServers: [{ issuer, type: '${tab.type}' }] } }`,
        },
      },
    ),
    'login-refused': mistakeIn(
      // The lab's own servers lock no account.
      'check.diagnosis.login-refused',
      () => ({ keycloak: isKeycloak, Name: capitalised(name()) }),
      { section: sections.registerClient, code: {} },
    ),
    'login-failed': mistakeIn('check.diagnosis.login-failed', () => ({ name: name() }), { section: sections.registerClient, code: {} }),
    'valid-token-refused': mistakeIn(
      'check.diagnosis.valid-token-refused',
      () => ({ name: name(), endpoint: tab.type === 'oauth' ? 'user' : 'userinfo' }),
      {
        section: sections.setUpAuth,
        code:
          tab.type === 'oauth'
            ? askIdentity(`'${userEndpoint}'`, `"${userEndpoint}"`)
            : askIdentity('userinfoEndpoint', 'userinfo_endpoint'),
      },
    ),
    'tool-ignores-auth-info': mistakeIn('check.diagnosis.tool-ignores-auth-info', () => ({ answer: notAuthenticatedAnswer }), {
      section: sections.updateServer,
      code: {
        node: "server.tool('whoami', ({ authInfo }) => … JSON.stringify(authInfo?.claims ?? { error: 'Not authenticated' }) …)",
        python: 'return mcp_auth.auth_info.claims if mcp_auth.auth_info else {"error": "Not authenticated"}',
      },
    }),
    'fixed-user-claims': mistakeIn('check.diagnosis.fixed-user-claims', undefined, {
      section: sections.updateServer,
      code: {
        node: 'JSON.stringify(authInfo?.claims …)  // the claims verifyToken returned for this token',
        python: 'mcp_auth.auth_info.claims',
      },
    }),
    'verify-accepts-any-token': mistakeIn('check.diagnosis.verify-accepts-any-token', () => ({ keycloak: isKeycloak, name: name() }), {
      section: sections.setUpAuth,
      code: {
        node: "if (!response.ok) throw new MCPAuthTokenVerificationError('token_verification_failed', response);",
        python: 'response.raise_for_status()  # inside try: … except: raise MCPAuthTokenVerificationException(…)',
      },
    }),
    // The OAuth 2 tab's own mistakes (docs/providers.md): its server is no OpenID provider.
    'oidc-discovery-on-oauth-server': mistakeIn(
      'check.diagnosis.oidc-discovery-on-oauth-server',
      () => ({ oauthName: oauthName(), oauthIssuer: oauth.issuer }),
      {
        section: sections.setUpAuth,
        code: {
          node: `fetchServerConfig('${oauth.issuer}', { type: 'oauth' })`,
          python: `fetch_server_config("${oauth.issuer}", type=AuthServerType.OAUTH)`,
        },
      },
    ),
    // The Logto tab's: its issuer is its endpoint with /oidc, which the Console shows.
    'logto-issuer-without-oidc': mistakeIn(
      'check.diagnosis.logto-issuer-without-oidc',
      () => ({ logtoOrigin, logtoIssuer: logto.issuer }),
      {
        section: sections.setUpAuth,
        code: {
          node: `const authIssuer = '${logto.issuer}';`,
          python: `auth_issuer = "${logto.issuer}"`,
        },
      },
    ),
    'user-endpoint-wrong': mistakeIn('check.diagnosis.user-endpoint-wrong', () => ({ oauthName: oauthName(), userEndpoint }), {
      section: sections.setUpAuth,
      code: askIdentity(`'${userEndpoint}'`, `"${userEndpoint}"`),
    }),
    'no-userinfo-in-oauth-metadata': mistakeIn(
      'check.diagnosis.no-userinfo-in-oauth-metadata',
      () => ({ oauthName: oauthName(), userEndpoint }),
      {
        section: sections.setUpAuth,
        code: {
          node: `fetch('${userEndpoint}', { headers: { Authorization: \`Bearer \${token}\` } })  // not mcpAuth.config.server.metadata.userinfoEndpoint`,
          python: `requests.get("${userEndpoint}", headers={"Authorization": f"Bearer {token}"})  # not the metadata's userinfo_endpoint`,
        },
      },
    ),
    'oauth-scope-openid': mistakeIn(
      'check.diagnosis.oauth-scope-openid',
      () => ({
        oauthName: oauthName(),
        scope: oauth.scope,
        authParams: `{"scope": "${oauth.scope}"}`,
        scopesSupported: `['${oauth.scope}']`,
      }),
      {
        section: sections.registerClient,
        code: {
          node: `protectedResources: { metadata: { …, scopesSupported: ['${oauth.scope}'] } }  // not openid profile email`,
          python: `# in the MCP Inspector: Auth Params {"scope": "${oauth.scope}"}, not "openid profile email"`,
        },
      },
    ),
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

/** A diagnosis with its id, worded for the tab `tab` (Keycloak's when omitted); its words are formatted when read. */
export function diagnosis(id: CheckDiagnosisId, tab?: ProviderSettings): Diagnosis {
  const entry: Omit<Diagnosis, 'id'> = isRevision2026Id(id) ? revision2026Diagnoses[id] : (tab ? diagnosesFor(tab) : diagnoses)[id];
  return {
    id,
    get mistake() {
      return entry.mistake;
    },
    section: entry.section,
    code: entry.code,
  };
}

/**
 * "— the mistake; tutorial: "Section" (#anchor) (or see: page#anchor); code: …" in the tab `sdk`
 * (both when unknown), in the active language: the section's title as that language's tutorial
 * has it, the anchor and the code as they are.
 */
export function describeDiagnosis({ mistake, section, code }: Diagnosis, sdk: Sdk | undefined): string {
  const lines = sdk
    ? [code[sdk]].filter((line): line is string => Boolean(line))
    : Object.entries(code).map(([tab, line]) => t('check.diagnosis.code-of-tab', { tab: tab === 'node' ? 'Node.js' : 'Python', line }));
  const where = section.page
    ? t('check.diagnosis.see-page', { page: section.page, anchor: section.anchor, title: section.title })
    : t('check.diagnosis.see-tutorial', { title: section.title, anchor: section.anchor });
  const codeLines = lines.map((line) => t('check.diagnosis.code', { line: line.replace(/\n/g, ' ') })).join('');
  return t('check.diagnosis.described', { mistake, where, code: codeLines });
}
