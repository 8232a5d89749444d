/**
 * The MCP SDK 2.x client (`@modelcontextprotocol/client`) signing in through a real browser: the
 * counterpart of sdk-login.ts (SDK 1.x) for the 2026-07-28 server, and its step-up. The OAuth hooks
 * are `lab check --revision 2026-07-28`'s (BrowserAuthorization: the pre-registered `mcp-inspector`,
 * no refresh_token grant, so no offline_access and no consent prompt); the login pages the lab's one login.
 */
import { Client, StreamableHTTPClientTransport, UnauthorizedError, type FetchLike } from '@modelcontextprotocol/client';
import type { Page } from '@playwright/test';
import { mcpEndpoint } from '../../lab/check/mcp-requests.ts';
import { BrowserAuthorization } from '../../lab/check/revision-2026/browser-authorization.ts';
import { modernRevision } from '../../lab/check/revision-2026/modern-requests.ts';
import type { Credentials } from './provider-login.ts';

/** A 2.x client pinned to 2026-07-28 (its default is still the 2025-11-25 handshake). */
export function modernClient(): Client {
  return new Client({ name: 'mcp-auth-lab-e2e', version: '2.0.0' }, { versionNegotiation: { mode: { pin: modernRevision } } });
}

/** One HTTP exchange of an SDK client, as a recording `fetch` saw it. */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  challenge: string | null;
  /** A token request's `grant_type`: authorization_code, or refresh_token. */
  grantType?: string;
}

/** A `fetch` for an SDK client (1.x or 2.x) that records every exchange: the 401s and 403s it met, its token requests. */
export function recordingFetch(): { fetch: FetchLike; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      const grantType = init?.body instanceof URLSearchParams ? init.body.get('grant_type') : null;
      exchanges.push({
        method: init?.method ?? 'GET',
        url: String(url),
        status: response.status,
        challenge: response.headers.get('www-authenticate'),
        ...(grantType ? { grantType } : {}),
      });
      return response;
    },
  };
}

export interface ModernSession {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Its `authorizations` are every authorization request the SDK made: the login, then each step-up. */
  provider: BrowserAuthorization;
}

/**
 * Connects the SDK 2.x client to `serverUrl`'s Streamable HTTP endpoint in the 2026-07-28 era:
 * 401, the browser signs in at Keycloak as `credentials`, the client finishes the
 * authorization-code + PKCE flow and connects again with the token.
 */
export async function connectModernAfterLogin(
  page: Page,
  {
    serverUrl,
    credentials,
    clientId,
    redirectUri,
    fetch,
  }: {
    serverUrl: string;
    credentials: Credentials;
    /** The pre-registered client. */
    clientId: string;
    redirectUri: string;
    /** Every HTTP request of the SDK (discovery, token, MCP) goes through it: to watch them. */
    fetch?: FetchLike;
  },
): Promise<ModernSession> {
  const endpoint = mcpEndpoint(serverUrl, 'streamable-http');
  const provider = new BrowserAuthorization({ clientId, redirectUri, page, credentials });
  const firstTransport = new StreamableHTTPClientTransport(endpoint, { authProvider: provider, fetch });
  const refused = await modernClient()
    .connect(firstTransport)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  if (!(refused instanceof UnauthorizedError)) throw new Error(`Expected the server to ask for authorization, got: ${String(refused)}`);
  await firstTransport.finishAuth(provider.takeRedirect());

  const transport = new StreamableHTTPClientTransport(endpoint, { authProvider: provider, fetch });
  const client = modernClient();
  await client.connect(transport);
  return { client, transport, provider };
}

/** The step-up the SDK asked for, done in the browser (Keycloak's session answers at once): the transport redeems the code. */
export async function completeStepUp({ transport, provider }: ModernSession): Promise<void> {
  await transport.finishAuth(provider.takeRedirect());
}
