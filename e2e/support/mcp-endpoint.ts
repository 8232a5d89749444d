export type Transport = 'sse' | 'streamable-http';

/** The MCP endpoint of each transport, as the tutorial (SSE) and the current spec name them. */
export function mcpEndpoint(serverUrl: string, transport: Transport): URL {
  return new URL(transport === 'sse' ? '/sse' : '/mcp', serverUrl);
}
