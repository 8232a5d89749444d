/**
 * Not a floor but the step between: the whoami server's MCP part alone — the SDK's express app, a
 * fresh McpServer and stateless Streamable HTTP transport per request, the same tool — with no
 * auth. Spec mode over this is the lab's own cost; this over bare express is the SDK's.
 * Run: node lab/bench/bare-mcp-sdk-server.ts PORT
 */
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';

const port = Number(process.argv[2] ?? 3999);
const jsonSchemaValidator = new AjvJsonSchemaValidator();
const app = createMcpExpressApp({ host: '127.0.0.1', allowedHosts: ['localhost', '127.0.0.1'] });
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/mcp', async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const server = new McpServer({ name: 'WhoAmI', version: '0.0.0' }, { jsonSchemaValidator });
  server.registerTool('whoami', { description: "A tool that returns the current user's information." }, () => ({
    content: [{ type: 'text', text: '{}' }],
  }));
  res.on('close', () => {
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.listen(port, '127.0.0.1');
