/**
 * What `lab check --revision 2026-07-28` says when the learner's server misses one of today's
 * requirements: the mistake in the learner's terms, the section of docs/revision-2026.md to read,
 * and the line of a 2.x server it is about (the lab's own: server/revision-2026/whoami.ts). Part of
 * the one catalogue in ../diagnoses.ts, where the ids are stable (tests and --json use them).
 * Node.js only: the Python SDK has no per-tool scope challenge yet, so the revision has no Python tab.
 */
import type { Diagnosis } from '../diagnoses.ts';

const page = 'docs/revision-2026.md';
const sections = {
  stateless: { title: 'Stateless', anchor: '#stateless', page },
  audience: { title: 'Audience', anchor: '#audience', page },
  stepUp: { title: 'Step-up', anchor: '#step-up', page },
  hostAndOrigin: { title: 'Host and Origin', anchor: '#host-and-origin', page },
} as const;

// The lines of the lab's 2026 server the mistakes are about, as a learner would write them.
const handler =
  "app.all('/mcp', bearerAuth, (req, res) => void mcp(req, res, req.body));  // mcp = toNodeHandler(createMcpHandler(createServer))";
const jwtGuard =
  "mcpAuth.bearerAuth('jwt', { resource, audience: resource, requiredScopes: ['mcp:whoami'] })  // resource: this server's URL";
const adminTool = "server.registerTool('whoami-admin', { description, scopeChallenge: requireScopes('whoami:admin') }, (ctx) => …)";
const whoamiTool =
  "server.registerTool('whoami', { description }, (ctx) => ({ content: [{ type: 'text', text: JSON.stringify(ctx.http?.authInfo?.claims ?? { error: 'Not authenticated' }) }] }))";
const provisionForRevision = 'MCP_REVISION=2026-07-28 AUTH_MODE=spec npm run lab -- provision';

export const revision2026Diagnoses = {
  // Stateless: the revision has no initialize and no session.
  'speaks-2025-only': {
    mistake:
      'the server speaks 2025-11-25 only (the MCP SDK 1.x, as in the tutorial): a 2026-07-28 client opens with server/discover, which it refuses. Serve it with createMcpHandler of @modelcontextprotocol/server 2.x',
    section: sections.stateless,
    code: {
      node: "const mcp = toNodeHandler(createMcpHandler(createWhoamiServer, { legacy: 'stateless' }));  // @modelcontextprotocol/server, /node",
    },
  },
  'not-stateless': {
    mistake:
      'the server answers with an Mcp-Session-Id: 2026-07-28 has no sessions, each request stands alone; createMcpHandler makes a server per request and sends no session ID',
    section: sections.stateless,
    code: { node: "createMcpHandler(createWhoamiServer, { legacy: 'stateless' })  // not a transport with a sessionIdGenerator" },
  },
  'no-modern-endpoint': {
    mistake: 'nothing MCP answers a POST to /mcp: a 2026-07-28 server is Streamable HTTP at one endpoint (the 2.x SDK has no SSE)',
    section: sections.stateless,
    code: { node: handler },
  },
  'whoami-not-listed': {
    mistake: 'tools/list lists no `whoami`',
    section: sections.stateless,
    code: { node: whoamiTool },
  },
  'whoami-ignores-auth-info': {
    mistake:
      'whoami answers {"error": "Not authenticated"} with a valid token: in the 2.x SDK the verified token reaches a tool as ctx.http.authInfo (toNodeHandler passes req.auth on), not as an argument of its own',
    section: sections.stateless,
    code: { node: whoamiTool },
  },
  'whoami-wrong-claims': {
    mistake: "whoami returns someone else's claims: they must be those of the token it was called with (ctx.http.authInfo), not fixed ones",
    section: sections.stateless,
    code: { node: whoamiTool },
  },
  // Audience: tokens are bound to this server, and found through its metadata.
  'token-not-required': {
    mistake: 'POST /mcp answered without a token: no bearer guard stands in front of /mcp, so anyone can call the tools',
    section: sections.audience,
    code: { node: handler },
  },
  'challenge-without-resource-metadata': {
    mistake:
      'the 401 does not say where the protected resource metadata is (resource_metadata in WWW-Authenticate): a 2026-07-28 client finds the authorization server only through it',
    section: sections.audience,
    code: {
      node: 'WWW-Authenticate: Bearer error="invalid_token", scope="mcp:whoami", resource_metadata="<this server>/.well-known/oauth-protected-resource"',
    },
  },
  'no-protected-resource-metadata': {
    mistake:
      "no protected resource metadata (RFC 9728) where the 401 points, nor at /.well-known/oauth-protected-resource: it names this server as `resource` and the lab's realm among `authorization_servers`, and 2026-07-28 clients find the realm only there",
    section: sections.audience,
    code: {
      node: 'app.use(mcpAuth.protectedResourceMetadataRouter());  // protectedResources: { metadata: { resource, authorizationServers: [realm], scopesSupported } }',
    },
  },
  'realm-audience-elsewhere': {
    mistake: `Keycloak's tokens are not for this server: the lab's realm binds mcp:whoami to the lab's own server (WHOAMI_URL), so a server at another URL never gets a token it may accept. Bind the realm to yours — \`WHOAMI_URL=<your server's URL> ${provisionForRevision}\` — and run the same without WHOAMI_URL when you go back to the lab's own`,
    section: sections.audience,
    code: {},
  },
  'jwt-check-refuses-valid-token': {
    mistake:
      "a token Keycloak just issued for this server (aud: its URL, scope mcp:whoami) was refused: the JWT check does not accept a valid token — its issuer (the realm's, as browsers see it), its audience (this server's URL, no trailing slash) or where it gets the realm's keys",
    section: sections.audience,
    code: { node: jwtGuard },
  },
  'audience-not-checked': {
    mistake:
      'a token Keycloak issued for another resource (its aud does not name this server) was accepted: the server does not check the audience, so a token meant for anything else of the realm works here too (RFC 8707; a MUST in 2026-07-28)',
    section: sections.audience,
    code: { node: jwtGuard },
  },
  'audience-after-scope': {
    mistake:
      'a token issued for another resource was answered 403 insufficient_scope: the server asks the client for more scope instead of refusing a token that is not for it (401 invalid_token); it checks the scopes before the audience, or the audience not at all',
    section: sections.audience,
    code: { node: jwtGuard },
  },
  'refusal-not-invalid-token': {
    mistake:
      'a token that is not for this server was refused, but not the way RFC 6750 says (401, WWW-Authenticate: Bearer error="invalid_token"): clients read the code to know what to do next. mcp-auth answers with codes of its own (invalid_audience, …); the lab maps them in server/spec-compliant-errors.ts',
    section: sections.audience,
    code: { node: 'WWW-Authenticate: Bearer error="invalid_token", error_description="…", scope="mcp:whoami", resource_metadata="…"' },
  },
  'forged-token-accepted': {
    mistake:
      "a token Keycloak never issued (garbage, or a JWT with a forged signature) was accepted: the JWT check does not verify the signature with the realm's keys",
    section: sections.audience,
    code: { node: jwtGuard },
  },
  // Step-up: whoami-admin needs one more scope, asked for when it is needed.
  'challenge-without-scope': {
    mistake:
      "the 401 names no scope: a client then asks for every scope of the metadata up front (whoami:admin too) instead of mcp:whoami alone, and never needs a step-up. mcp-auth's own 401 has none; the lab adds it in server/spec-compliant-errors.ts",
    section: sections.stepUp,
    code: { node: 'WWW-Authenticate: Bearer error="invalid_token", scope="mcp:whoami", resource_metadata="…"' },
  },
  'metadata-offers-offline-access': {
    mistake:
      "the protected resource metadata offers offline_access: scopes_supported lists what this server's tools need (mcp:whoami, whoami:admin); refresh tokens are between a client and Keycloak, and a client that asks for the whole list gets an offline token it never needed",
    section: sections.stepUp,
    code: { node: "scopesSupported: ['mcp:whoami', 'whoami:admin']  // no offline_access" },
  },
  'whoami-admin-not-listed': {
    mistake: 'tools/list lists no `whoami-admin`, the tool only holders of whoami:admin may call',
    section: sections.stepUp,
    code: { node: adminTool },
  },
  'no-scope-challenge': {
    mistake:
      'whoami-admin answered a user whose token lacks whoami:admin: the tool has no scope challenge, so anyone signed in can call it; with one, the SDK answers 403 insufficient_scope before the tool runs',
    section: sections.stepUp,
    code: { node: adminTool },
  },
  'step-up-names-other-scopes': {
    mistake:
      'the 403 asks for more than whoami-admin lacks: its scope names only the missing scope (whoami:admin); the client adds that to the scopes it has (SEP-2350), so naming others asks the user to grant what the tool does not need',
    section: sections.stepUp,
    code: { node: adminTool },
  },
  'step-up-challenge-incomplete': {
    mistake:
      'the refusal does not tell a client how to step up: 403 with WWW-Authenticate: Bearer error="insufficient_scope", scope="whoami:admin" (the 2.x SDK writes it from the tool\'s scopeChallenge)',
    section: sections.stepUp,
    code: { node: adminTool },
  },
  'step-up-token-refused': {
    mistake:
      "after the step-up, with a token that holds whoami:admin, whoami-admin still refuses: the scope challenge does not read the token's scopes (ctx.http.authInfo.scopes), or the server refuses the new token",
    section: sections.stepUp,
    code: { node: adminTool },
  },
  'realm-without-step-up': {
    mistake: `the lab's realm is not set up for the step-up: its admin user (with the role whoami-admin) or the scope whoami:admin is missing — \`${provisionForRevision}\` makes them`,
    section: sections.stepUp,
    code: {},
  },
  // Host and Origin: DNS rebinding.
  'host-not-checked': {
    mistake:
      'a request naming a foreign Host was answered: without Host validation a web page can reach this local server through DNS rebinding; refuse Hosts the server does not answer to (403)',
    section: sections.hostAndOrigin,
    code: { node: "createMcpExpressApp({ host: '127.0.0.1', allowedHosts: ['localhost', '127.0.0.1', '[::1]'] })" },
  },
  'origin-not-checked': {
    mistake:
      "a request from a foreign Origin was answered: a web page elsewhere could call this server from the learner's browser; refuse Origins the server does not answer to (403)",
    section: sections.hostAndOrigin,
    code: { node: "createMcpExpressApp({ host: '127.0.0.1', allowedHosts })  // checks Origin too for a loopback host" },
  },
} as const satisfies Record<string, Omit<Diagnosis, 'id'>>;
