/**
 * Spec mode's floor: express answering POST /mcp with a fixed JSON-RPC result, no MCP SDK, no
 * auth. Run: node lab/bench/bare-express-server.ts PORT
 */
import express from 'express';

const port = Number(process.argv[2] ?? 3999);
const app = express();
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/mcp', express.json(), (req, res) => {
  res.json({ jsonrpc: '2.0', id: (req.body as { id?: unknown }).id ?? null, result: { content: [{ type: 'text', text: '{}' }] } });
});
app.listen(port, '127.0.0.1');
