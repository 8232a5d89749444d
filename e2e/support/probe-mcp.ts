import { mcpEndpoint } from './lab.ts';

export interface Probe {
  status: number;
  challenge: string | null;
  retryAfter: string | null;
  contentType: string | null;
  text: string;
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1.0.0' } },
};

/** One MCP `initialize` over Streamable HTTP with the given Authorization header (or none). */
export async function probeMcp(serverUrl: string, authorization?: string): Promise<Probe> {
  const response = await fetch(mcpEndpoint(serverUrl, 'streamable-http'), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(authorization === undefined ? {} : { Authorization: authorization }),
    },
    body: JSON.stringify(initialize),
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    retryAfter: response.headers.get('retry-after'),
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

/** The `error` parameter of a Bearer challenge, or null when it has none. */
export function challengeError(challenge: string | null): string | null {
  return /\berror="([^"]*)"/.exec(challenge ?? '')?.[1] ?? null;
}
