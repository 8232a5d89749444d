import { initializeRequest, mcpEndpoint, mcpPostHeaders } from '../../lab/check/mcp-requests.ts';

export interface Probe {
  status: number;
  challenge: string | null;
  retryAfter: string | null;
  contentType: string | null;
  text: string;
}

/** One MCP `initialize` over Streamable HTTP with the given Authorization header (or none). */
export async function probeMcp(serverUrl: string, authorization?: string): Promise<Probe> {
  const response = await fetch(mcpEndpoint(serverUrl, 'streamable-http'), {
    method: 'POST',
    headers: {
      ...mcpPostHeaders,
      ...(authorization === undefined ? {} : { Authorization: authorization }),
    },
    body: JSON.stringify(initializeRequest('e2e')),
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
