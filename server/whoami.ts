/**
 * The whoami MCP server — the tutorial's Node.js server (whoami.js), in TypeScript.
 *
 * Topology (demo only, plain HTTP on localhost):
 *   MCP client (Inspector, tests) ──► this server, :3001  ── SSE at GET /sse + POST /messages
 *                                                          └─ Streamable HTTP at /mcp
 *   this server ──► Keycloak, :8080, realm mcp-realm: metadata, then
 *                     tutorial mode: userinfo for every token (server/tutorial-auth.ts)
 *                     spec mode: its key set, to check JWTs here (server/spec-auth.ts)
 *   or, tutorial mode only, the tutorial's other provider tabs (WHOAMI_AUTH_SERVER_TYPE):
 *     OIDC tab:    another OpenID provider, the same calls as Keycloak's
 *     OAuth 2 tab: an OAuth 2 server: RFC 8414 metadata, then its own user endpoint for every
 *                  token (WHOAMI_USER_ENDPOINT), and the scope `profile`
 *
 * Run: node server/whoami.ts   (settings from the environment, see settings.ts; the defaults are
 *      the tutorial's: port 3001, issuer http://localhost:8080/realms/mcp-realm, tutorial mode,
 *      an OpenID provider)
 */
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { originValidation } from './origin-check.ts';
import { readServerSettings } from './settings.ts';
import { setUpSpecAuth } from './spec-auth.ts';
import { withSpecCompliantErrors } from './spec-compliant-errors.ts';
import { setUpTutorialAuth } from './tutorial-auth.ts';

const settings = (() => {
  try {
    const settings = readServerSettings(process.env);
    if (settings.revision !== '2025-11-25')
      throw new Error(`MCP_REVISION=${settings.revision} is served by server/revision-2026/whoami.ts`);
    return settings;
  } catch (error) {
    console.error(`whoami: ${(error as Error).message}`);
    process.exit(1);
  }
})();

// 1. The MCP server and its one tool. The tutorial registers it with `server.tool`, which the
//    SDK deprecates in favour of `registerTool`; the callback is the same.
//    Lab addition: every McpServer shares one JSON Schema validator. Left out, each builds its own
//    Ajv instance, and Streamable HTTP makes a server per request: a third of the server's CPU, and
//    the garbage that grew its memory under a classroom's load.
const jsonSchemaValidator = new AjvJsonSchemaValidator();
function createWhoamiServer(): McpServer {
  const server = new McpServer({ name: 'WhoAmI', version: '0.0.0' }, { jsonSchemaValidator });
  server.registerTool('whoami', { description: "A tool that returns the current user's information." }, ({ authInfo }) => ({
    content: [{ type: 'text', text: JSON.stringify(authInfo?.claims ?? { error: 'Not authenticated' }) }],
  }));
  return server;
}

// 2. MCP Auth: metadata for clients, and a bearer-token guard in front of the MCP routes. Each
//    mode reaches the authorization server only on the first request, so the server starts while
//    it is down. Spec mode is Keycloak's (settings.ts refuses it with an OAuth 2 server).
//    withSpecCompliantErrors makes mcp-auth's refusals RFC 6750's (see that file).
const auth = withSpecCompliantErrors(
  settings.mode === 'spec'
    ? setUpSpecAuth({
        issuer: settings.issuer,
        discoveryIssuer: settings.issuerBackchannel,
        resource: settings.url,
        requiredScope: settings.scope,
      })
    : setUpTutorialAuth({
        issuer: settings.issuer,
        discoveryIssuer: settings.issuerBackchannel,
        type: settings.authServerType,
        userEndpoint: settings.userEndpoint,
        resource: settings.url,
        // For the protected resource metadata (a lab addition): what the tutorial has the Inspector
        // ask for, `openid profile email`; the OAuth 2 tab's `profile`.
        scopes: settings.authServerType === 'oauth' ? ['profile'] : ['openid', 'profile', 'email'],
      }),
);

// The SSE clients the server holds (section 3), by session ID.
const sseTransports = new Map<string, SSEServerTransport>();

// The SDK's express app refuses a Host this server does not answer to (DNS rebinding, 403) before
// anything else runs, and parses JSON bodies; the Origin check does the same for browsers.
const app = createMcpExpressApp({ host: settings.host, allowedHosts: settings.allowedHosts });
app.use(originValidation(settings.allowedHosts));
// Lab addition: `sseSessions` is how many SSE clients the server holds, so a test can see that a
// client that went is let go.
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok', sdk: 'node', mode: settings.mode, issuer: settings.issuer, sseSessions: sseTransports.size });
});
app.use(auth.metadataRouter);
app.use(auth.bearerAuth);

// 3. SSE transport, as in the tutorial: one long-lived GET per client, messages POSTed beside it.
//    A client that goes closes its GET: its transport leaves the map, and its server closes with it.

app.get('/sse', async (_req, res) => {
  const transport = new SSEServerTransport('/messages', res);
  sseTransports.set(transport.sessionId, transport);
  res.on('close', () => {
    sseTransports.delete(transport.sessionId);
  });
  await createWhoamiServer().connect(transport);
});

app.post('/messages', async (req, res) => {
  const transport = sseTransports.get(String(req.query.sessionId));
  if (transport) {
    await transport.handlePostMessage(req, res, req.body);
  } else {
    res.status(400).send('No transport found for sessionId');
  }
});

// 4. Streamable HTTP transport (the current MCP transport), stateless: a fresh server per request.
app.post('/mcp', async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const server = createWhoamiServer();
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

app.listen(settings.port, settings.host, () => {
  console.log(`whoami MCP server (${settings.mode} mode) on ${settings.url}: SSE ${settings.url}/sse, Streamable HTTP ${settings.url}/mcp`);
});
