import { type APIRequestContext, expect } from '@playwright/test';
import type { WhoamiSdk } from '../../core/config.ts';
import { initializeRequest, mcpEndpoint, mcpPostHeaders, type Transport } from '../../lab/check/mcp-requests.ts';

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

/**
 * Checkpoint 1 as the tabs' specs check it: the server's MCP endpoint over `transport`, without a
 * token, answers 401 — with a Bearer challenge from the Node server, and mcpauth 0.1.1's JSON
 * (no challenge, see checkpoint-1-unauthenticated.spec.ts) from the Python server.
 */
export async function expectCheckpoint1(
  request: APIRequestContext,
  serverUrl: string,
  transport: Transport,
  sdk: WhoamiSdk,
): Promise<void> {
  const endpoint = mcpEndpoint(serverUrl, transport).href;
  const response =
    transport === 'sse'
      ? await request.get(endpoint, { headers: { Accept: 'text/event-stream' } })
      : await request.post(endpoint, { headers: { Accept: 'application/json, text/event-stream' }, data: initializeRequest('e2e') });

  expect(response.status()).toBe(401);
  if (sdk === 'node') expect(response.headers()['www-authenticate']).toMatch(/^Bearer\b/);
  else expect(await response.json()).toMatchObject({ error: 'missing_auth_header' });
}
