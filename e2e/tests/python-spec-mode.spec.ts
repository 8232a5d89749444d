/**
 * The Python server's spec mode (mcpauth 0.1.1's JWT mode, docs/python.md#spec-mode) against the
 * run's Keycloak: a realm of its own, provisioned in spec mode for the server's URL, whose token
 * (audience the server, scope mcp:whoami) the server checks itself; whoami returns the token's
 * claims. The Logto tier runs the same mode against Logto, with the real Inspector.
 */
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { callWhoami, connectAfterLogin } from '../support/mcp-login.ts';
import { startRealmLab, type RealmLab } from '../support/realm-lab.ts';
import { testPorts } from '../support/test-ports.ts';

let pythonLab: RealmLab;

test.beforeAll(async () => {
  pythonLab = await startRealmLab({
    prefix: 'python-spec',
    registration: 'manual',
    mode: 'spec',
    sdk: 'python',
    port: testPorts.pythonSpecWhoami,
  });
});

test.afterAll(async () => {
  await pythonLab?.stop();
});

test('the Python server in spec mode takes the token Keycloak binds to it, and whoami returns its claims', async ({ page }) => {
  const { client } = await connectAfterLogin(page, { transport: 'sse', credentials: lab.user, serverUrl: pythonLab.server.url });

  const claims = await callWhoami(client);
  expect([claims.aud].flat()).toContain(pythonLab.server.url);
  expect(String(claims.scope).split(' ')).toContain(pythonLab.config.server.whoamiScope);
  expect(claims.preferred_username).toBe(lab.user.username);
  await client.close();
});
