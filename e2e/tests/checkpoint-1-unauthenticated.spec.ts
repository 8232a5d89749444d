import { expect, test } from '../support/fixtures.ts';
import { lab, mcpEndpoint } from '../support/lab.ts';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1.0.0' } },
};

test.describe('checkpoint 1: without a token the server asks for one', () => {
  test('the SSE endpoint answers 401 with a Bearer challenge', async ({ request }) => {
    const response = await request.get(mcpEndpoint(lab.whoamiUrl, 'sse').href, { headers: { Accept: 'text/event-stream' } });

    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toMatch(/^Bearer\b/);
  });

  test('the Streamable HTTP endpoint answers 401 with a Bearer challenge', async ({ request }) => {
    const response = await request.post(mcpEndpoint(lab.whoamiUrl, 'streamable-http').href, {
      headers: { Accept: 'application/json, text/event-stream' },
      data: initialize,
    });

    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toMatch(/^Bearer\b/);
    expect(await response.json()).toHaveProperty('error');
  });

  test('the server publishes Keycloak\'s metadata at /.well-known/oauth-authorization-server', async ({ request }) => {
    const response = await request.get(`${lab.whoamiUrl}/.well-known/oauth-authorization-server`);

    expect(response.status()).toBe(200);
    const metadata = await response.json();
    expect(metadata.issuer).toBe(lab.realm.issuer);
    expect(metadata.authorization_endpoint).toBe(`${lab.realm.issuer}/protocol/openid-connect/auth`);
    expect(metadata.code_challenge_methods_supported).toContain('S256');
  });

  test('a token Keycloak does not know is refused', async ({ request }) => {
    const response = await request.post(mcpEndpoint(lab.whoamiUrl, 'streamable-http').href, {
      headers: { Accept: 'application/json, text/event-stream', Authorization: 'Bearer not-a-real-token' },
      data: initialize,
    });

    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toMatch(/^Bearer\b/);
  });
});
