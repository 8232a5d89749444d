/**
 * The docker compose stack (E2E_TARGET=compose only): the issuer split and the shared network
 * namespace. See docker-compose.yml's header and README "docker compose up".
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runCommand } from '../../core/process.ts';
import { expect, test } from '../support/fixtures.ts';
import { compose, nodeInRunningService, nodeInService, printJson } from '../support/compose.ts';
import { InMemoryOAuthClientProvider } from '../support/in-memory-oauth-provider.ts';
import { signInAndCaptureCode } from '../support/provider-login.ts';
import { lab, mcpEndpoint } from '../support/lab.ts';
import { callWhoami } from '../support/mcp-login.ts';

/** Where containers outside keycloak's namespace (the provision service) reach Keycloak. */
const internalKeycloakUrl = `http://keycloak:${lab.keycloak.port}`;
const internalRealmUrl = `${internalKeycloakUrl}/realms/${lab.realm.name}`;

interface Metadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint?: string;
}

test.describe('the issuer split: http://localhost:8080 for the browser, http://keycloak:8080 for containers', () => {
  test("through http://keycloak:8080 Keycloak keeps the browser's issuer; only back-channel endpoints follow the host name", async () => {
    const metadata = await nodeInService<Metadata>(
      'provision',
      printJson(`(await fetch('${internalRealmUrl}/.well-known/openid-configuration')).json()`),
    );

    expect(metadata.issuer).toBe(lab.realm.issuer);
    expect(metadata.authorization_endpoint).toBe(`${lab.realm.issuer}/protocol/openid-connect/auth`);
    expect(metadata.token_endpoint).toBe(`${internalRealmUrl}/protocol/openid-connect/token`);
    expect(metadata.userinfo_endpoint).toBe(`${internalRealmUrl}/protocol/openid-connect/userinfo`);
  });

  test('a login in the browser, its code exchanged at http://keycloak:8080: the token carries the one issuer and whoami in its container accepts it', async ({
    page,
  }) => {
    const provider = new InMemoryOAuthClientProvider({
      identity: { clientId: lab.client.id },
      scope: lab.client.scope,
      redirectUri: lab.client.testRedirectUri,
    });
    expect(await auth(provider, { serverUrl: mcpEndpoint(lab.whoamiUrl, 'streamable-http') })).toBe('REDIRECT');
    expect(provider.authorizationUrl!.href).toMatch(new RegExp(`^${lab.realm.issuer}/`));
    const code = await signInAndCaptureCode(page, provider.authorizationUrl!, lab.client.testRedirectUri, lab.user);

    const tokens = await nodeInService<{ access_token?: string; error?: string }>(
      'provision',
      printJson(`(await fetch('${internalRealmUrl}/protocol/openid-connect/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: process.env.CLIENT_ID, code: process.env.CODE, redirect_uri: process.env.REDIRECT_URI, code_verifier: process.env.CODE_VERIFIER }),
    })).json()`),
      { CLIENT_ID: lab.client.id, CODE: code, REDIRECT_URI: lab.client.testRedirectUri, CODE_VERIFIER: provider.codeVerifier() },
    );
    expect(tokens.error).toBeUndefined();
    const [, payload] = tokens.access_token!.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      iss: lab.realm.issuer,
      preferred_username: lab.user.username,
    });

    const client = new Client({ name: 'mcp-auth-lab-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(mcpEndpoint(lab.whoamiUrl, 'streamable-http'), {
        requestInit: { headers: { Authorization: `Bearer ${tokens.access_token}` } },
      }),
    );
    expect(await callWhoami(client)).toMatchObject({ preferred_username: lab.user.username, email: lab.user.email });
    await client.close();
  });

  test('whoami republishes endpoints on http://localhost:8080 only, reachable from the host and from the Inspector', async ({
    request,
  }) => {
    const response = await request.get(`${lab.whoamiUrl}/.well-known/oauth-authorization-server`);

    const metadata = (await response.json()) as Metadata;
    expect(metadata.token_endpoint).toBe(`${lab.realm.issuer}/protocol/openid-connect/token`);
    expect(metadata.userinfo_endpoint).toBe(`${lab.realm.issuer}/protocol/openid-connect/userinfo`);
  });
});

test.describe('the Inspector container', () => {
  test('answers at http://localhost:6274 on the host', async ({ request }) => {
    const health = await request.get(`${lab.inspector.url}/healthz`);
    const page = await request.get(lab.inspector.url);

    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(page.status()).toBe(200);
    expect(page.headers()['content-type']).toContain('text/html');
  });

  test('its backend reaches the URLs the learner types: whoami on localhost:3001, Keycloak on localhost:8080', async () => {
    const seen = await nodeInRunningService<{ whoami: number; metadataIssuer: string; tokenAnswer: unknown }>(
      'inspector',
      printJson(`(async () => {
      const whoami = await fetch('http://localhost:${lab.server.port}/mcp', { method: 'POST' });
      const metadata = await (await fetch('http://localhost:${lab.server.port}/.well-known/oauth-authorization-server')).json();
      const token = await fetch(metadata.token_endpoint, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: '${lab.client.id}' }) });
      return { whoami: whoami.status, metadataIssuer: metadata.issuer, tokenAnswer: await token.json() };
    })()`),
    );

    expect(seen.whoami).toBe(401);
    expect(seen.metadataIssuer).toBe(lab.realm.issuer);
    // Keycloak's token endpoint itself answered (no code sent on purpose), not a network error.
    expect(seen.tokenAnswer).toEqual({ error: 'invalid_request', error_description: 'Missing parameter: code' });
  });
});

test('the whoami service runs the server WHOAMI_SDK names', async () => {
  const containerId = (await compose(['ps', '-q', 'whoami'])).stdout.trim();
  expect(containerId, 'no running whoami container').not.toBe('');
  const inspected = await runCommand('docker', ['inspect', '--format', '{{.Config.Image}}', containerId]);

  expect(inspected.stdout.trim()).toBe(`mcp-auth-lab/whoami-${lab.server.sdk}:local`);
});

test('a second provisioning run in its container changes nothing', async () => {
  const result = await compose(['run', '--rm', '-T', 'provision']);

  expect(result.exitCode).toBe(0);
  expect(result.stdout.trim().split('\n')).toEqual([
    `realm ${lab.realm.name}: unchanged`,
    `user ${lab.user.username}: unchanged`,
    `client ${lab.client.id}: unchanged`,
    `client scope ${lab.server.whoamiScope}: unchanged`,
    'anonymous client registration: unchanged',
  ]);
});
