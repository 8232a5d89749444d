/**
 * `lab doctor` on the tutorial's Logto tab (LAB_PROVIDER=logto), as a learner runs it, against the
 * tier's Logto and whoami servers: a healthy lab in both modes, every line ✓ and exit 0; each of
 * the Console's usual mistakes, made through Logto's Management API, named as the only problem with
 * its fix; Logto not answering, its port line ✗ and the checks that ask it skipped.
 *
 * The other specs sign in with the tier's "MCP Inspector" and testuser at the same time, so the
 * mistakes are made on objects of the test's own — a second application (LOGTO_APP_ID), a
 * throwaway user (LAB_USERNAME / LAB_PASSWORD) — deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { expect, test } from '@playwright/test';
import { withSettings } from '../../core/config.ts';
import { startWhoamiServer } from '../../lab/whoami-process.ts';
import { connectLogtoManagement, type LogtoManagement } from '../../provisioning/logto-management.ts';
import { whoamiRoleName } from '../../provisioning/logto-provision.ts';
import { checkNames, expectOnlyProblemCounted as expectOnlyProblem } from '../support/doctor-output.ts';
import { logtoAppId, logtoDbUrl, logtoLab, logtoServerLab, type LogtoServerName } from '../support/logto-lab.ts';
import { runLab, type CommandResult } from '../support/run-command.ts';
import { labWithServerOn, testPorts } from '../support/test-ports.ts';

/** `lab doctor` with the tier's settings as the server `name` sees them (its port, its mode) and the tier's App ID. */
function doctor(name: LogtoServerName, settings: Record<string, string> = {}): Promise<CommandResult> {
  return runLab(['doctor'], { ...(logtoServerLab(name).settings as Record<string, string>), LOGTO_APP_ID: logtoAppId(), ...settings });
}

let management: Promise<LogtoManagement> | undefined;
/** The tier's Management API (one token per worker). */
function logtoManagement(): Promise<LogtoManagement> {
  management ??= connectLogtoManagement(logtoLab(), { dbUrl: logtoDbUrl() });
  return management;
}

/** A name no other test uses (Logto's usernames are letters, digits and `_`). */
const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** An application made as in the Console, for the test alone; deleted afterwards. */
async function withApplication(
  body: { name: string; type: string; oidcClientMetadata: { redirectUris: string[]; postLogoutRedirectUris: string[] } },
  run: (appId: string) => Promise<void>,
): Promise<void> {
  const api = await logtoManagement();
  const { id } = await api.api<{ id: string }>('POST', '/applications', { description: 'lab doctor test (MCP Auth Lab)', ...body });
  try {
    await run(id);
  } finally {
    await api.api('DELETE', `/applications/${id}`);
  }
}

/** A user made as in the Console, for the test alone; deleted afterwards. */
async function withUser(run: (user: { id: string; username: string; password: string }) => Promise<void>): Promise<void> {
  const api = await logtoManagement();
  const user = { username: uniqueName('doctor'), password: 'doctor-password-4711' };
  const { id } = await api.api<{ id: string }>('POST', '/users', { ...user, name: 'Doctor Test' });
  try {
    await run({ id, ...user });
  } finally {
    await api.api('DELETE', `/users/${id}`);
  }
}

/** A port nothing listens on now: the system's choice, so that it is no other test's. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test.describe('lab doctor on the Logto tab', () => {
  for (const name of ['node', 'spec'] as const) {
    test(`a healthy lab${name === 'spec' ? ' in spec mode' : ''}: every check ok, exit 0`, async () => {
      const lab = logtoServerLab(name);
      const { port, dbPort, url } = lab.logto;
      const { issuer } = lab.provider;
      const whoamiPort = lab.server.port;

      const result = await doctor(name);

      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n').at(-1)).toBe('No problems found.');
      expect(checkNames(result)).toEqual([
        `✓ Logto port ${port}`,
        `✓ Logto database port ${dbPort}`,
        '✓ application',
        '✓ redirect URI',
        '✓ user testuser',
        ...(name === 'spec' ? ['✓ API resource'] : []),
        `✓ whoami port ${whoamiPort}`,
        '✓ issuer',
      ]);
      expect(result.stdout).toContain(`✓ Logto port ${port}: Logto answers at ${url}, issuer ${issuer}`);
      expect(result.stdout).toContain(`✓ application: "MCP Inspector", a Single-page application, App ID ${logtoAppId()}`);
      expect(result.stdout).toContain(`✓ redirect URI: ${lab.client.inspectorRedirectUri} (the Inspector's callback;`);
      expect(result.stdout).toContain('✓ user testuser: exists; the password testpassword signs in');
      if (name === 'spec')
        expect(result.stdout).toContain(`✓ API resource: ${lab.server.resourceUrl} with mcp:whoami, granted to testuser by a role`);
      expect(result.stdout).toContain(
        `✓ whoami port ${whoamiPort}: whoami Node.js SDK server in ${lab.server.mode} mode at http://localhost:${whoamiPort}`,
      );
      expect(result.stdout).toContain(`✓ issuer: ${issuer} (Logto and the whoami server agree)`);
      expect(result.stdout).not.toContain('Keycloak');
    });
  }

  test("the application without the Inspector's redirect URI: the redirect URI line, and how to add it", async () => {
    const lab = logtoServerLab('node');
    const { inspectorRedirectUri, redirectUris } = lab.client;
    const kept = redirectUris.filter((uri) => uri !== inspectorRedirectUri);
    const appName = uniqueName('Inspector');
    await withApplication(
      { name: appName, type: 'SPA', oidcClientMetadata: { redirectUris: [...redirectUris], postLogoutRedirectUris: [] } },
      async (appId) => {
        // Settings › Redirect URIs: the Inspector's removed, Save.
        const api = await logtoManagement();
        const app = await api.api<{ oidcClientMetadata: Record<string, unknown> }>('GET', `/applications/${appId}`);
        await api.api('PATCH', `/applications/${appId}`, { oidcClientMetadata: { ...app.oidcClientMetadata, redirectUris: kept } });

        const result = await doctor('node', { LOGTO_APP_ID: appId });

        expectOnlyProblem(
          result,
          'redirect URI',
          `"${appName}" has ${kept.length ? kept.join(', ') : 'no redirect URIs'}, not the Inspector's ${inspectorRedirectUri}`,
          'Logto shows "redirect_uri did not match"',
          `add ${inspectorRedirectUri} in the Console (the application's Settings › Redirect URIs › Save)`,
        );
        expect(result.stdout).toContain(`✓ application: "${appName}", a Single-page application, App ID ${appId}`);
      },
    );
  });

  test('a "Traditional web" application instead of a Single-page one: the application line, and which to make', async () => {
    // Logto keeps an application's type for good (its PATCH leaves `type` out): the learner's
    // mistake is a second application, made with the wrong type, whose App ID went to the Inspector.
    const lab = logtoServerLab('node');
    const appName = uniqueName('Inspector');
    await withApplication(
      {
        name: appName,
        type: 'Traditional',
        oidcClientMetadata: { redirectUris: [...lab.client.redirectUris], postLogoutRedirectUris: [] },
      },
      async (appId) => {
        const result = await doctor('node', { LOGTO_APP_ID: appId });

        expectOnlyProblem(
          result,
          'application',
          `"${appName}" is of type Traditional`,
          "wants a client secret: the Inspector's token request fails with invalid_client",
          'make a Single-page application in the Console (Applications › Create application › Single page app)',
        );
        expect(result.stdout).toContain(`✓ redirect URI: ${lab.client.inspectorRedirectUri}`);
      },
    );
  });

  test("the user's password changed in the Console: the user line", async () => {
    await withUser(async ({ id, username, password }) => {
      const api = await logtoManagement();
      await api.api('PATCH', `/users/${id}/password`, { password: 'changed-in-the-console-1' });

      const result = await doctor('node', { LAB_USERNAME: username, LAB_PASSWORD: password });

      expectOnlyProblem(
        result,
        `user ${username}`,
        `exists, but its password is not ${password}`,
        'start the lab again with `LAB_PROVIDER=logto npm run lab` (it puts back what provisioning made)',
      );
    });
  });

  test("spec mode, the user's role removed in the Console: the API resource line says Logto answers access_denied", async () => {
    const api = await logtoManagement();
    const roles = await api.api<Array<{ id: string; name: string }>>(
      'GET',
      `/roles?search=${encodeURIComponent(whoamiRoleName)}&type=User`,
    );
    const role = roles.find(({ name }) => name === whoamiRoleName);
    expect(role, `the tier provisioned no role "${whoamiRoleName}"`).toBeDefined();
    await withUser(async ({ id, username, password }) => {
      const asUser = { LAB_USERNAME: username, LAB_PASSWORD: password };
      await api.api('POST', `/users/${id}/roles`, { roleIds: [role!.id] });
      const withRole = await doctor('spec', asUser);
      expect(withRole.exitCode, withRole.stdout + withRole.stderr).toBe(0);
      expect(withRole.stdout).toContain(
        `✓ API resource: ${logtoServerLab('spec').server.resourceUrl} with mcp:whoami, granted to ${username}`,
      );

      // User management › the user › Roles › remove.
      await api.api('DELETE', `/users/${id}/roles/${role!.id}`);
      const result = await doctor('spec', asUser);

      expectOnlyProblem(
        result,
        'API resource',
        `${username} has no role granting mcp:whoami: Logto answers access_denied after the sign-in`,
        '`LAB_PROVIDER=logto npm run lab`',
      );
    });
  });

  test('Logto not answering: the port line, and the checks that ask it skipped', async ({}, testInfo) => {
    // A whoami server that expects Logto on a port where nothing listens: the lab after Logto stopped.
    const [absentPort, whoamiPort] = [await freePort(), await freePort()];
    const settings = { LOGTO_PORT: String(absentPort), WHOAMI_PORT: String(whoamiPort) };
    const lab = withSettings(labWithServerOn(whoamiPort, logtoLab()), settings);
    const whoami = await startWhoamiServer(lab, { logPath: testInfo.outputPath('whoami-node.log') });
    try {
      const result = await doctor('node', settings);

      expectOnlyProblem(
        result,
        `Logto port ${absentPort}`,
        `nothing answers at http://localhost:${absentPort}`,
        'start the lab with `LAB_PROVIDER=logto npm run lab`',
      );
      expect(checkNames(result)).toEqual([
        `✗ Logto port ${absentPort}`,
        `✓ Logto database port ${testPorts.logtoDb}`,
        '- application',
        '- redirect URI',
        '- user testuser',
        `✓ whoami port ${whoamiPort}`,
        '✓ issuer',
      ]);
      for (const check of ['application', 'redirect URI', 'user testuser'])
        expect(result.stdout).toContain(`- ${check}: skipped (Logto not answering)`);
      expect(result.stdout).toContain(`✓ issuer: http://localhost:${absentPort}/oidc (Logto and the whoami server agree)`);
    } finally {
      await whoami.stop();
    }
  });
});
