/**
 * The whoami MCP server — the tutorial's Node.js server (whoami.js), in TypeScript.
 *
 * Topology (demo only, plain HTTP on localhost):
 *   MCP client (Inspector, tests) ──► this server, :3001  ── SSE at GET /sse + POST /messages
 *                                                          └─ Streamable HTTP at /mcp
 *   this server ──► Keycloak, :8080, realm mcp-realm: metadata, then
 *                     tutorial mode: userinfo for every token (server/tutorial-auth.ts)
 *                     spec mode: its key set, to check JWTs here (server/spec-auth.ts)
 *
 * Run: node server/whoami.ts   (settings from lab/config.ts; AUTH_MODE=tutorial by default)
 */
import express from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { config } from '../lab/config.ts';
import { setUpSpecAuth } from './spec-auth.ts';
import { withSpecCompliantErrors } from './spec-compliant-errors.ts';
import { setUpTutorialAuth } from './tutorial-auth.ts';

// 1. The MCP server and its one tool. The tutorial registers it with `server.tool`, now
//    deprecated in favour of `registerTool`; the callback is the same.
function createWhoamiServer(): McpServer {
  const server = new McpServer({ name: 'WhoAmI', version: '0.0.0' });
  server.registerTool(
    'whoami',
    { description: 'A tool that returns the current user\'s information.' },
    ({ authInfo }) => ({
      content: [{ type: 'text', text: JSON.stringify(authInfo?.claims ?? { error: 'Not authenticated' }) }],
    }),
  );
  return server;
}

// 2. MCP Auth: metadata for clients, and a bearer-token guard in front of the MCP routes. Each
//    mode reaches Keycloak only on the first request, so the server starts while Keycloak is down.
//    withSpecCompliantErrors makes mcp-auth's refusals RFC 6750's (see that file).
const discoveryIssuer = `${config.keycloak.internalUrl}/realms/${config.realm.name}`;
const auth = withSpecCompliantErrors(config.server.mode === 'spec'
  ? setUpSpecAuth({
    issuer: config.realm.issuer,
    discoveryIssuer,
    resource: config.server.resourceUrl,
    requiredScope: config.server.whoamiScope,
  })
  : setUpTutorialAuth({
    issuer: config.realm.issuer,
    discoveryIssuer,
    resource: config.server.resourceUrl,
    scopes: config.client.scope.split(' '),
  }));

const app = express();
app.get('/healthz', (_req, res) => { res.json({ status: 'ok', mode: config.server.mode, issuer: config.realm.issuer }); });
app.use(auth.metadataRouter);
app.use(auth.bearerAuth);

// 3. SSE transport, as in the tutorial: one long-lived GET per client, messages POSTed beside it.
const sseTransports = new Map<string, SSEServerTransport>();

app.get('/sse', async (_req, res) => {
  const transport = new SSEServerTransport('/messages', res);
  sseTransports.set(transport.sessionId, transport);
  res.on('close', () => { sseTransports.delete(transport.sessionId); });
  await createWhoamiServer().connect(transport);
});

app.post('/messages', async (req, res) => {
  const transport = sseTransports.get(String(req.query.sessionId));
  if (transport) {
    await transport.handlePostMessage(req, res);
  } else {
    res.status(400).send('No transport found for sessionId');
  }
});

// 4. Streamable HTTP transport (the current MCP transport), stateless: a fresh server per request.
app.post('/mcp', express.json(), async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const server = createWhoamiServer();
  res.on('close', () => { void transport.close(); void server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

app.listen(config.server.port, config.server.host, () => {
  console.log(`whoami MCP server (${config.server.mode} mode) on ${config.server.url}: SSE ${config.server.url}/sse, Streamable HTTP ${config.server.url}/mcp`);
});
