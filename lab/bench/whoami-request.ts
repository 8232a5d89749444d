import { jsonRpcRequest, mcpEndpoint, mcpPostHeaders } from '../check/mcp-requests.ts';

/** One stateless Streamable HTTP `tools/call whoami`; true when it came back with a result. */
export async function callWhoamiOverHttp(serverUrl: string, accessToken: string | undefined): Promise<{ ok: boolean; text: string }> {
  const response = await fetch(mcpEndpoint(serverUrl, 'streamable-http'), {
    method: 'POST',
    headers: { ...mcpPostHeaders, ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify(jsonRpcRequest('tools/call', { name: 'whoami', arguments: {} })),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { ok: response.ok && text.includes('"result"'), text };
}
