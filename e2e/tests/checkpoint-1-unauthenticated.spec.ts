import { initializeRequest } from '../../lab/check/mcp-requests.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab, mcpEndpoint, tutorialServers } from '../support/lab.ts';

const initialize = initializeRequest('e2e');

for (const server of tutorialServers) {
  test.describe(`checkpoint 1: without a token the server asks for one (${server.name})`, () => {
    if (server.sdk === 'node') {
      test('the SSE endpoint answers 401 with a Bearer challenge', async ({ request }) => {
        const response = await request.get(mcpEndpoint(server.url, 'sse').href, { headers: { Accept: 'text/event-stream' } });

        expect(response.status()).toBe(401);
        expect(response.headers()['www-authenticate']).toMatch(/^Bearer\b/);
      });

      test('the Streamable HTTP endpoint answers 401 with a Bearer challenge', async ({ request }) => {
        const response = await request.post(mcpEndpoint(server.url, 'streamable-http').href, {
          headers: { Accept: 'application/json, text/event-stream' },
          data: initialize,
        });

        expect(response.status()).toBe(401);
        expect(response.headers()['www-authenticate']).toMatch(/^Bearer\b/);
        expect(await response.json()).toHaveProperty('error');
      });

      test('a token Keycloak does not know is refused', async ({ request }) => {
        const response = await request.post(mcpEndpoint(server.url, 'streamable-http').href, {
          headers: { Accept: 'application/json, text/event-stream', Authorization: 'Bearer not-a-real-token' },
          data: initialize,
        });

        expect(response.status()).toBe(401);
        expect(response.headers()['www-authenticate']).toMatch(/^Bearer\b/);
      });
    } else {
      // mcpauth 0.1.1 answers 401 with a JSON body and no WWW-Authenticate header (RFC 6750 wants
      // one); MCP clients start the login anyway, from the protected resource metadata.
      for (const transport of ['sse', 'streamable-http'] as const) {
        test(`the ${transport === 'sse' ? 'SSE' : 'Streamable HTTP'} endpoint answers 401 missing_auth_header, without a challenge`, async ({
          request,
        }) => {
          const endpoint = mcpEndpoint(server.url, transport).href;
          const response =
            transport === 'sse'
              ? await request.get(endpoint, { headers: { Accept: 'text/event-stream' } })
              : await request.post(endpoint, { headers: { Accept: 'application/json, text/event-stream' }, data: initialize });

          expect(response.status()).toBe(401);
          expect(response.headers()['www-authenticate']).toBeUndefined();
          expect(await response.json()).toEqual({
            error: 'missing_auth_header',
            error_description: expect.stringContaining('Authorization'),
          });
        });
      }

      test('a token Keycloak does not know is refused: 401 token_verification_failed', async ({ request }) => {
        const response = await request.post(mcpEndpoint(server.url, 'streamable-http').href, {
          headers: { Accept: 'application/json, text/event-stream', Authorization: 'Bearer not-a-real-token' },
          data: initialize,
        });

        expect(response.status()).toBe(401);
        expect(response.headers()['www-authenticate']).toBeUndefined();
        expect((await response.json()).error).toBe('token_verification_failed');
      });

      test("the protected resource metadata names Keycloak and the tutorial's scopes (a lab addition)", async ({ request }) => {
        const response = await request.get(`${server.url}/.well-known/oauth-protected-resource`);

        expect(response.status()).toBe(200);
        expect(await response.json()).toEqual({
          resource: server.url,
          authorization_servers: [lab.realm.issuer],
          scopes_supported: lab.client.scope.split(' '),
        });
      });
    }

    test("the server publishes Keycloak's metadata at /.well-known/oauth-authorization-server", async ({ request }) => {
      const response = await request.get(`${server.url}/.well-known/oauth-authorization-server`);

      expect(response.status()).toBe(200);
      const metadata = await response.json();
      expect(metadata.issuer).toBe(lab.realm.issuer);
      expect(metadata.authorization_endpoint).toBe(`${lab.realm.issuer}/protocol/openid-connect/auth`);
      expect(metadata.code_challenge_methods_supported).toContain('S256');
    });
  });
}
