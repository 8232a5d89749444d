/**
 * `lab init`'s last lines, per provider tab, and its refusal of a tab it does not know; what it
 * installs is the room tier's (room/lab-init.spec.ts).
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../../core/config.ts';
import { nextSteps } from '../../lab/commands/init.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';
import { expect, test } from '@playwright/test';

const target = '/home/ada/mcp-server';
const lines = (settings: Record<string, string>, sdk: 'node' | 'python') =>
  nextSteps(loadConfig(settings), { target, port: 3002, sdk }).split('\n');

test("the Keycloak tab: the realm as the issuer, `type: 'oidc'`, the tutorial's scope", () => {
  const printed = lines({}, 'node');

  expect(printed.slice(0, 2)).toEqual([
    `Project ready in ${target}. Your server's port: 3002 (PORT in .env; the lab's own whoami server is on 3001).`,
    'Next:',
  ]);
  expect(printed.at(-2)).toBe(
    "The Keycloak tab (LAB_PROVIDER=keycloak in .env): the issuer is `http://localhost:8080/realms/mcp-realm`, with `fetchServerConfig(authIssuer, { type: 'oidc' })`.",
  );
  expect(printed.at(-1)).toBe(
    'In the MCP Inspector your server is http://localhost:3002/sse, and the Scope to ask for `openid profile email`.',
  );
});

test("the OIDC tab: the same code with the lab's OIDC provider as the issuer", () => {
  expect(lines({ LAB_PROVIDER: 'oidc' }, 'python').at(-2)).toBe(
    'The OIDC tab (LAB_PROVIDER=oidc in .env): the issuer is `http://localhost:8081`, with `fetch_server_config(auth_issuer, type=AuthServerType.OIDC)`.',
  );
});

test("the Logto tab: the issuer with /oidc, and the App ID as the Inspector's Client ID", () => {
  expect(lines({ LAB_PROVIDER: 'logto' }, 'node').at(-2)).toBe(
    "The Logto tab (LAB_PROVIDER=logto in .env): the issuer is `http://localhost:8083/oidc`, with `fetchServerConfig(authIssuer, { type: 'oidc' })`; the Inspector's Client ID is the App ID `npm run lab` prints (today's Inspector sends `resource`, which Logto refuses in tutorial mode: docs/providers.md#the-logto-tab).",
  );
});

test("the OAuth 2 tab: the issuer, `type: 'oauth'`, the user endpoint and the scope `profile`", () => {
  const node = lines({ LAB_PROVIDER: 'oauth' }, 'node');
  const python = lines({ LAB_PROVIDER: 'oauth' }, 'python');

  expect(node.at(-2)).toBe(
    "The OAuth 2 tab (LAB_PROVIDER=oauth in .env): the issuer is `http://localhost:8082`, with `fetchServerConfig(authIssuer, { type: 'oauth' })`; verifyToken calls the user endpoint `http://localhost:8082/user` (no userinfo on an OAuth 2 server).",
  );
  expect(python.at(-2)).toContain('`fetch_server_config(auth_issuer, type=AuthServerType.OAUTH)`');
  expect(node.at(-1)).toBe('In the MCP Inspector your server is http://localhost:3002/sse, and the Scope to ask for `profile`.');
  // The commands of steps 2 to 4 stay the last thing on their lines (the room tier pastes them).
  expect(node.filter((line) => /^ {2}[234]\. .*`$/.test(line))).toHaveLength(3);
});

test('a --provider the lab does not know: one line, a non-zero exit, and no folder', async ({}, testInfo) => {
  const dir = testInfo.outputPath('mcp-server');
  const result = await runLab(['init', dir, '--sdk', 'node', '--provider', 'github']);

  expect(result.exitCode).toBe(1);
  expect(isOneLineError(result.stderr), result.stderr).toBe(true);
  expect(result.stderr).toContain('init --provider takes keycloak, oidc, oauth, logto (the tutorial\'s tabs), got "github"');
  expect(existsSync(dir)).toBe(false);
});
