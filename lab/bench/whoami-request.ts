/** One stateless Streamable HTTP `tools/call whoami`; true when it came back with a result. */
export async function callWhoamiOverHttp(serverUrl: string, accessToken: string | undefined): Promise<{ ok: boolean; text: string }> {
  const response = await fetch(`${serverUrl}/mcp`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { ok: response.ok && text.includes('"result"'), text };
}
