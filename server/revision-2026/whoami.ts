/**
 * The whoami MCP server for today's MCP revision, 2026-07-28, on the SDK's 2.x packages: the lab's
 * spec mode carried forward, beside the tutorial's server (../whoami.ts, SDK 1.x).
 *
 * What the revision changes, and where it happens here:
 *   - no `initialize` handshake, no session: every request is self-contained (`createMcpHandler`
 *     makes a server per request; a 2025-11-25 client is still answered, statelessly);
 *   - protected resource metadata (RFC 9728) and audience-bound tokens (RFC 8707) are MUSTs: the
 *     same mcp-auth JWT guard as spec mode (../spec-auth.ts), audience = this server's URL;
 *   - step-up (SEP-2350): the second tool, `whoami-admin`, needs one more scope. A token without it
 *     is answered 403 `insufficient_scope` naming that scope alone, and the client asks again;
 *   - DNS rebinding: the SDK's express app checks Host and Origin.
 * Streamable HTTP only (/mcp): the 2.x SDK has no SSE transport.
 *
 * Run: MCP_REVISION=2026-07-28 AUTH_MODE=spec node server/revision-2026/whoami.ts (settings: ../settings.ts)
 */
import { createMcpExpressApp } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer, requireScopes, type ServerContext } from '@modelcontextprotocol/server';
import type { RequestHandler } from 'express';
import { originValidation } from '../origin-check.ts';
import { readServerSettings } from '../settings.ts';
import { setUpSpecAuth } from '../spec-auth.ts';
import { withSpecCompliantErrors } from '../spec-compliant-errors.ts';

const settings = (() => {
  try {
    const settings = readServerSettings(process.env);
    if (settings.revision !== '2026-07-28')
      throw new Error("this server speaks MCP_REVISION=2026-07-28 (with AUTH_MODE=spec); the tutorial's is server/whoami.ts");
    return settings;
  } catch (error) {
    console.error(`whoami: ${(error as Error).message}`);
    process.exit(1);
  }
})();

/** mcp-auth's verified token, as the SDK hands it to a tool: its claims ride along. */
function claimsOf(context: ServerContext): unknown {
  return (context.http?.authInfo as { claims?: unknown } | undefined)?.claims;
}

// 1. The MCP server, made per request, and its two tools. `whoami` is the tutorial's; the SDK
//    answers a call of `whoami-admin` with a token lacking the admin scope itself, before the tool
//    runs (403, `WWW-Authenticate: Bearer error="insufficient_scope", scope="whoami:admin"`).
//    Prompts and resources are declared (empty) with cache hints, as the revision's caching asks.
function createWhoamiServer(): McpServer {
  const cacheHint = { ttlMs: 60_000, cacheScope: 'private' as const };
  const server = new McpServer(
    { name: 'WhoAmI', version: '0.0.0' },
    {
      capabilities: { tools: {}, prompts: {}, resources: {} },
      cacheHints: {
        'tools/list': cacheHint,
        'prompts/list': cacheHint,
        'resources/list': cacheHint,
        'resources/templates/list': cacheHint,
      },
    },
  );
  server.registerTool('whoami', { description: "A tool that returns the current user's information." }, (context) => ({
    content: [{ type: 'text', text: JSON.stringify(claimsOf(context) ?? { error: 'Not authenticated' }) }],
  }));
  server.registerTool(
    'whoami-admin',
    {
      description: `Returns the current user's information, for holders of ${settings.adminScope} only.`,
      scopeChallenge: requireScopes(settings.adminScope),
    },
    (context) => ({ content: [{ type: 'text', text: JSON.stringify({ admin: true, claims: claimsOf(context) }) }] }),
  );
  return server;
}

// 2. MCP Auth, as in spec mode: the metadata lists both scopes (and no offline_access); the guard
//    needs `whoami`'s scope for every request; challenges name that scope and the metadata.
const wiring = setUpSpecAuth({
  issuer: settings.issuer,
  discoveryIssuer: settings.issuerBackchannel,
  resource: settings.url,
  requiredScope: settings.scope,
  stepUpScopes: [settings.adminScope],
});
const auth = withSpecCompliantErrors(wiring);

// mcp-auth's verified token lacks where the metadata is; the SDK's step-up answer names it from there.
const withResourceMetadataUrl: RequestHandler = (request, _response, next) => {
  if (request.auth) request.auth = { ...request.auth, resourceMetadataUrl: wiring.challenge.resourceMetadataUrl };
  next();
};

const app = createMcpExpressApp({ host: settings.host, allowedHosts: settings.allowedHosts });
app.use(originValidation(settings.allowedHosts));
app.get('/healthz', (_request, response) => {
  response.json({ status: 'ok', sdk: 'node', mode: settings.mode, revision: settings.revision, issuer: settings.issuer });
});
app.use(auth.metadataRouter);

// 3. Streamable HTTP, stateless: the 2.x handler takes the verified token from `req.auth`.
const mcp = toNodeHandler(createMcpHandler(createWhoamiServer, { legacy: 'stateless' }));
app.all('/mcp', auth.bearerAuth, withResourceMetadataUrl, (request, response) => {
  void mcp(request, response, request.body);
});

app.listen(settings.port, settings.host, () => {
  console.log(`whoami MCP server (MCP ${settings.revision}, spec mode) on ${settings.url}: Streamable HTTP ${settings.url}/mcp`);
});
