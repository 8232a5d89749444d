import type { Page } from '@playwright/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryOAuthClientProvider, type ClientIdentity } from './in-memory-oauth-provider.ts';
import { signInAndCaptureCode, type Credentials } from './keycloak-login.ts';
import { lab, mcpEndpoint, type Transport } from './lab.ts';

function createTransport(transport: Transport, endpoint: URL, authProvider: InMemoryOAuthClientProvider) {
  return transport === 'sse'
    ? new SSEClientTransport(endpoint, { authProvider })
    : new StreamableHTTPClientTransport(endpoint, { authProvider });
}

/**
 * The tutorial's checkpoint 2, done by the MCP SDK's client: connect, get 401, log in at Keycloak
 * (through `page`), finish the authorization-code + PKCE flow, connect again with the token.
 */
export async function connectAfterLogin(
  page: Page,
  { transport, credentials, serverUrl = lab.whoamiUrl, identity = { clientId: lab.client.id }, consent = false }: {
    transport: Transport;
    credentials: Credentials;
    serverUrl?: string;
    /** The tutorial's pre-registered client unless told otherwise. */
    identity?: ClientIdentity;
    /** Keycloak asks registered clients' users for consent (its Consent Required policy). */
    consent?: boolean;
  },
): Promise<{ client: Client; provider: InMemoryOAuthClientProvider }> {
  const endpoint = mcpEndpoint(serverUrl, transport);
  const provider = new InMemoryOAuthClientProvider({
    identity,
    scope: lab.client.scope,
    redirectUri: lab.client.testRedirectUri,
  });

  const firstAttempt = new Client({ name: 'mcp-auth-lab-e2e', version: '1.0.0' });
  const refused = await firstAttempt.connect(createTransport(transport, endpoint, provider)).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(refused instanceof UnauthorizedError) || !provider.authorizationUrl) {
    throw new Error(`Expected the server to ask for authorization, got: ${String(refused)}`);
  }

  const code = await signInAndCaptureCode(page, provider.authorizationUrl, lab.client.testRedirectUri, credentials, { consent });
  const authorizedTransport = createTransport(transport, endpoint, provider);
  await authorizedTransport.finishAuth(code);

  const client = new Client({ name: 'mcp-auth-lab-e2e', version: '1.0.0' });
  await client.connect(createTransport(transport, endpoint, provider));
  return { client, provider };
}

/** Calls `whoami` and parses the JSON text it returns. */
export async function callWhoami(client: Client): Promise<Record<string, unknown>> {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  const [first] = result.content as Array<{ type: string; text?: string }>;
  if (first?.type !== 'text' || first.text === undefined) throw new Error(`whoami returned no text: ${JSON.stringify(result)}`);
  return JSON.parse(first.text) as Record<string, unknown>;
}
