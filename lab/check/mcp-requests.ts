/**
 * The MCP requests the lab's probes send by hand (as a learner's curl would), and where each
 * transport's endpoint is: one place for the protocol revision they speak.
 */

export type Transport = 'sse' | 'streamable-http';

/** The protocol revision the probes ask for: the tutorial's servers (and today's SDKs) speak it. */
export const probeProtocolVersion = '2025-06-18';

/** Headers of a JSON-RPC POST to a Streamable HTTP endpoint. */
export const mcpPostHeaders = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } as const;

export function jsonRpcRequest(method: string, params: Record<string, unknown>, id = 1) {
  return { jsonrpc: '2.0', id, method, params } as const;
}

/** An MCP `initialize` request from a client called `clientName`. */
export function initializeRequest(clientName: string) {
  return jsonRpcRequest('initialize', {
    protocolVersion: probeProtocolVersion,
    capabilities: {},
    clientInfo: { name: clientName, version: '1.0.0' },
  });
}

/** The MCP endpoint of each transport, as the tutorial (SSE) and the current spec name them. */
export function mcpEndpoint(serverUrl: string | URL, transport: Transport): URL {
  return new URL(transport === 'sse' ? '/sse' : '/mcp', serverUrl);
}
