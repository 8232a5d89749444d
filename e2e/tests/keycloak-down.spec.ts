/**
 * The last row of the failure matrix: Keycloak down. Both whoami servers here reach Keycloak
 * through a TCP proxy the test closes and reopens (the shared Keycloak keeps running); they must
 * start without it, answer a JSON 503 while it is away, and serve again by themselves once it is back.
 */
import path from 'node:path';
import { repoRoot, withSettings, type AuthMode } from '../../core/config.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../../lab/whoami-process.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab, modes } from '../support/lab.ts';
import { matrixClients, passwordGrantToken } from '../support/matrix-tokens.ts';
import { probeMcp, type Probe } from '../support/probe-mcp.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { labWithServerOn, testPorts } from '../support/test-ports.ts';

const ports: Record<AuthMode, number> = { tutorial: testPorts.outageTutorialWhoami, spec: testPorts.outageSpecWhoami };

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

test('Keycloak down: a JSON 503 in both modes, then both serve again by themselves', async () => {
  test.setTimeout(120_000);
  const proxy = new TcpProxy(testPorts.keycloakProxy, { host: '127.0.0.1', port: lab.keycloak.port });
  const servers: StartedWhoamiServer[] = [];
  try {
    const token = await passwordGrantToken({ clientId: matrixClients.audienceBound, user: lab.user, scope: `openid ${lab.server.whoamiScope}` });

    // Keycloak is unreachable from the first moment: the servers still start.
    for (const mode of modes) {
      const behindProxy = withSettings(labWithServerOn(ports[mode]), { AUTH_MODE: mode, KEYCLOAK_INTERNAL_URL: proxy.getUrl() });
      servers.push(await startWhoamiServer(behindProxy, { logPath: path.join(repoRoot, 'test-results', 'logs', `whoami-${mode}-outage.log`) }));
    }
    const url = (mode: AuthMode) => `http://localhost:${ports[mode]}`;
    for (const mode of modes) expectUnavailable(await probeMcp(url(mode), `Bearer ${token}`), token);
    // The protected resource metadata is fixed text: spec mode serves it even now.
    expect((await fetch(`${url('spec')}/.well-known/oauth-protected-resource`)).status).toBe(200);

    await proxy.open();
    for (const mode of modes) expect((await probeMcp(url(mode), `Bearer ${token}`)).status).toBe(200);

    // Down again, after both have talked to Keycloak: tutorial mode needs userinfo for every
    // request; spec mode has the key set cached and checks the JWT on its own.
    await proxy.close();
    expectUnavailable(await probeMcp(url('tutorial'), `Bearer ${token}`), token);
    expect((await probeMcp(url('spec'), `Bearer ${token}`)).status).toBe(200);

    await proxy.open();
    expect((await probeMcp(url('tutorial'), `Bearer ${token}`)).status).toBe(200);
  } finally {
    for (const server of servers) await server.stop();
    await proxy.close();
  }
});
