import type { Page } from '@playwright/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ProviderKind } from '../../core/config.ts';
import { InMemoryOAuthClientProvider, type ClientIdentity } from './in-memory-oauth-provider.ts';
import { signInAndCaptureCode, type Credentials } from './provider-login.ts';
import { mcpEndpoint, type Transport } from '../../lab/check/mcp-requests.ts';
import { whoamiAnswer } from '../../lab/check/mcp-session.ts';

/** The client the SDK logs in as: the tutorial's pre-registered one, a metadata document's, or one it registers. */
export interface OAuthClient {
  identity: ClientIdentity;
  scope: string;
  redirectUri: string;
  /** False: no `resource` in the requests, as the tutorial's Inspector (the Logto tab's tutorial mode). */
  sendResource?: boolean;
}

export interface LoginOptions {
  serverUrl: string;
  transport: Transport;
  credentials: Credentials;
  oauthClient: OAuthClient;
  /** Keycloak asks registered clients' users for consent (its Consent Required policy), and so do the lab's own servers. */
  consent?: boolean;
  /** Whose login (and consent) page the browser meets: Keycloak's unless told. */
  provider?: ProviderKind;
  /** Every HTTP request of the SDK (discovery, token, MCP) goes through it: to watch them. */
  fetch?: FetchLike;
  /** Aborting it closes the transports this login opened (an SSE client may retry forever). */
  signal?: AbortSignal;
}

/**
 * The tutorial's checkpoint 2, done by the MCP SDK's client: connect, get 401, log in at Keycloak
 * or the tab's authorization server (through `page`), finish the authorization-code + PKCE flow,
 * connect again with the token.
 */
export async function loginAndConnect(
  page: Page,
  { serverUrl, transport, credentials, oauthClient, consent = false, provider: authServer, fetch, signal }: LoginOptions,
): Promise<{ client: Client; provider: InMemoryOAuthClientProvider }> {
  const endpoint = mcpEndpoint(serverUrl, transport);
  const provider = new InMemoryOAuthClientProvider({
    identity: oauthClient.identity,
    scope: oauthClient.scope,
    redirectUri: oauthClient.redirectUri,
    sendResource: oauthClient.sendResource,
  });
  const opened: Array<{ close(): Promise<void> }> = [];
  signal?.addEventListener(
    'abort',
    () => {
      for (const open of opened) void open.close();
    },
    { once: true },
  );
  const createTransport = () => {
    const created =
      transport === 'sse'
        ? new SSEClientTransport(endpoint, { authProvider: provider, fetch })
        : new StreamableHTTPClientTransport(endpoint, { authProvider: provider, fetch });
    opened.push(created);
    return created;
  };

  const firstAttempt = new Client({ name: 'mcp-auth-lab-e2e', version: '1.0.0' });
  const refused = await firstAttempt.connect(createTransport()).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(refused instanceof UnauthorizedError) || !provider.authorizationUrl) {
    throw new Error(`Expected the server to ask for authorization, got: ${String(refused)}`);
  }

  const code = await signInAndCaptureCode(page, provider.authorizationUrl, oauthClient.redirectUri, credentials, {
    consent,
    provider: authServer,
  });
  await createTransport().finishAuth(code);

  const client = new Client({ name: 'mcp-auth-lab-e2e', version: '1.0.0' });
  await client.connect(createTransport());
  return { client, provider };
}

/** Calls `whoami` and parses the JSON text it returns. */
export async function callWhoami(client: Client): Promise<Record<string, unknown>> {
  const { text, result } = await whoamiAnswer(client);
  if (!result) throw new Error(`whoami returned no JSON: ${text}`);
  return result;
}
