/**
 * The last row of the failure matrix: Keycloak down. The whoami servers here — the Node server in
 * each mode, the 2026-07-28 server, the Python server — reach Keycloak through a TCP proxy the test closes and reopens (the
 * shared Keycloak keeps running); they must start without it, answer a JSON 503 while it is away,
 * and serve again by themselves once it is back.
 */
import path from 'node:path';
import { repoRoot, withSettings } from '../../core/config.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../../lab/whoami-process.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { matrixClients, passwordGrantToken } from '../support/matrix-tokens.ts';
import { probeMcp, type Probe } from '../support/probe-mcp.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { labWithServerOn, testPorts } from '../support/test-ports.ts';

/** Each server under test: the Node server in each mode, the 2026-07-28 server, and the Python server (tutorial mode). */
const servers = [
  { name: 'tutorial', port: testPorts.outageTutorialWhoami, settings: { AUTH_MODE: 'tutorial', WHOAMI_SDK: 'node' } },
  { name: 'spec', port: testPorts.outageSpecWhoami, settings: { AUTH_MODE: 'spec', WHOAMI_SDK: 'node' } },
  {
    name: '2026',
    port: testPorts.outageRevision2026Whoami,
    settings: { AUTH_MODE: 'spec', WHOAMI_SDK: 'node', MCP_REVISION: '2026-07-28' },
  },
  { name: 'python', port: testPorts.outagePythonWhoami, settings: { AUTH_MODE: 'tutorial', WHOAMI_SDK: 'python' } },
] as const;
type Name = (typeof servers)[number]['name'];
const url = (name: Name) => `http://localhost:${servers.find((server) => server.name === name)!.port}`;
const userinfoChecking: Name[] = ['tutorial', 'python'];
const jwtChecking: Name[] = ['spec', '2026'];

function expectUnavailable(probe: Probe, token: string): void {
  expect(probe.status, probe.text).toBe(503);
  expect(probe.contentType).toMatch(/^application\/json/);
  expect(JSON.parse(probe.text)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
  expect(probe.retryAfter).toMatch(/^\d+$/);
  expect(probe.challenge).toBeNull();
  for (const leak of [token.slice(-20), '/realms/', `localhost:${testPorts.keycloakProxy}`, 'fetch failed', 'ECONNREFUSED']) {
    expect(probe.text).not.toContain(leak);
  }
}

test('Keycloak down: a JSON 503 from every server, then each serves again by itself', async () => {
  test.setTimeout(120_000);
  const proxy = new TcpProxy(testPorts.keycloakProxy, { host: '127.0.0.1', port: lab.keycloak.port });
  const started: StartedWhoamiServer[] = [];
  try {
    const token = await passwordGrantToken({
      clientId: matrixClients.audienceBound,
      user: lab.user,
      scope: `openid ${lab.server.whoamiScope}`,
    });

    // Keycloak is unreachable from the first moment: the servers still start.
    for (const { name, port, settings } of servers) {
      const behindProxy = withSettings(labWithServerOn(port), { ...settings, KEYCLOAK_INTERNAL_URL: proxy.getUrl() });
      started.push(
        await startWhoamiServer(behindProxy, { logPath: path.join(repoRoot, 'test-results', 'logs', `whoami-${name}-outage.log`) }),
      );
    }
    for (const { name } of servers) expectUnavailable(await probeMcp(url(name), `Bearer ${token}`), token);
    // The protected resource metadata is fixed text: served even now.
    for (const name of ['spec', '2026', 'python'] as const)
      expect((await fetch(`${url(name)}/.well-known/oauth-protected-resource`)).status).toBe(200);

    await proxy.open();
    for (const { name } of servers) expect((await probeMcp(url(name), `Bearer ${token}`)).status).toBe(200);

    // Down again, after each has talked to Keycloak: tutorial mode needs userinfo for every
    // request; spec mode has the key set cached and checks the JWT on its own.
    await proxy.close();
    for (const name of userinfoChecking) expectUnavailable(await probeMcp(url(name), `Bearer ${token}`), token);
    for (const name of jwtChecking) expect((await probeMcp(url(name), `Bearer ${token}`)).status).toBe(200);

    await proxy.open();
    for (const name of userinfoChecking) expect((await probeMcp(url(name), `Bearer ${token}`)).status).toBe(200);
  } finally {
    for (const server of started) await server.stop();
    await proxy.close();
  }
});
