/**
 * Which diagnosis `lab check` gives, per provider tab, from what the server answered: the verdicts
 * the checks reach once their requests are done, fed answers here; and the one check that needs no
 * server at all, a server that is not there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadConfig, type LabConfig } from '../../core/config.ts';
import { checkServer } from '../../lab/check/check-server.ts';
import { judgeMetadata, type ProtectedResourceMetadata } from '../../lab/check/checks/metadata.ts';
import { reachable } from '../../lab/check/checks/reachable.ts';
import { judgeClosedEndpoints } from '../../lab/check/checks/transport-with-token.ts';
import type { Answer } from '../../lab/check/probes.ts';
import { expect, test } from '@playwright/test';

const keycloak = loadConfig({});
const oidc = loadConfig({ LAB_PROVIDER: 'oidc' });
const oauth = loadConfig({ LAB_PROVIDER: 'oauth' });
const logto = loadConfig({ LAB_PROVIDER: 'logto' });
const base = new URL('http://localhost:3002');

const answer = (status: number, json?: unknown, text = json === undefined ? '' : JSON.stringify(json)): Answer => ({
  status,
  headers: new Headers(),
  text,
  json,
});
const verdict = (outcome: ReturnType<typeof judgeMetadata>) => [outcome.result?.status, outcome.result?.diagnosis, outcome.result?.detail];

test.describe('the metadata, per tab', () => {
  const metadataOf = (config: LabConfig) => answer(200, { issuer: config.provider.issuer });
  const prmOf = (config: LabConfig, scopes: string[]): ProtectedResourceMetadata & { scopes_supported: string[] } => ({
    resource: base.origin,
    authorization_servers: [config.provider.issuer],
    scopes_supported: scopes,
  });

  test("names the tab's issuer: the realm's for Keycloak (as ever), the lab's own server's for OIDC and OAuth 2", () => {
    expect(verdict(judgeMetadata(base, keycloak, metadataOf(keycloak), undefined))).toEqual([
      'pass',
      undefined,
      '/.well-known/oauth-authorization-server names http://localhost:8080/realms/mcp-realm',
    ]);
    expect(verdict(judgeMetadata(base, oauth, metadataOf(oauth), prmOf(oauth, ['profile'])))).toEqual([
      'pass',
      undefined,
      '/.well-known/oauth-authorization-server names http://localhost:8082; protected resource metadata names it too',
    ]);
    // The Keycloak realm's metadata, served by a server written for the OIDC tab.
    expect(verdict(judgeMetadata(base, oidc, metadataOf(keycloak), undefined))).toEqual([
      'fail',
      'wrong-issuer',
      "the metadata names issuer http://localhost:8080/realms/mcp-realm; the OIDC provider's issuer is http://localhost:8081",
    ]);
    expect(verdict(judgeMetadata(base, keycloak, metadataOf(oidc), undefined))[2]).toBe(
      "the metadata names issuer http://localhost:8081; the lab's realm is http://localhost:8080/realms/mcp-realm",
    );
    expect(verdict(judgeMetadata(base, oauth, answer(500), undefined))[2]).toBe(
      "GET /.well-known/oauth-authorization-server answers HTTP 500, not the OAuth 2.0 server's metadata",
    );
  });

  test('on the OAuth 2 tab, protected resource metadata that has clients ask for openid: oauth-scope-openid', () => {
    const outcome = judgeMetadata(base, oauth, metadataOf(oauth), prmOf(oauth, ['openid', 'profile', 'email']));

    expect(verdict(outcome)).toEqual([
      'fail',
      'oauth-scope-openid',
      'the protected resource metadata has clients ask for openid profile email; the OAuth 2.0 server refuses openid (its scope: profile)',
    ]);
    // …and the sign-in then goes to the issuer directly, with the tab's scope.
    expect(outcome.found).toBeUndefined();
    // The same scopes are the OIDC tab's own.
    expect(verdict(judgeMetadata(base, oidc, metadataOf(oidc), prmOf(oidc, ['openid', 'profile', 'email'])))[0]).toBe('pass');
  });
});

test.describe('no session with a valid token', () => {
  const refused = answer(401, { error: 'invalid_token' });
  const crashed = answer(500, undefined, '<pre>TypeError: Failed to parse URL from undefined<br> &nbsp; &nbsp;at new Request</pre>');

  test('both endpoints ask for a token: the token was refused (whoami-claims says why)', () => {
    expect(judgeClosedEndpoints(oauth.provider, refused, refused)).toEqual({
      result: { status: 'pass', detail: 'the MCP endpoints ask for a token' },
      found: { withToken: { working: [], refused: true } },
    });
  });

  test("on the OAuth 2 tab, a 500 once the token arrives is the OIDC tab's verifyToken: no-userinfo-in-oauth-metadata", () => {
    expect(verdict(judgeClosedEndpoints(oauth.provider, answer(500), crashed))).toEqual([
      'fail',
      'no-userinfo-in-oauth-metadata',
      'with a token, GET /sse answers HTTP 500 and POST /mcp answers HTTP 500 ("Failed to parse URL from undefined")',
    ]);
    expect(verdict(judgeClosedEndpoints(oauth.provider, answer(500), answer(500)))[1]).toBe('no-userinfo-in-oauth-metadata');
  });

  test('on the Keycloak and OIDC tabs, as anywhere else: no-mcp-endpoint', () => {
    for (const config of [keycloak, oidc]) {
      expect(verdict(judgeClosedEndpoints(config.provider, answer(500), crashed))[1]).toBe('no-mcp-endpoint');
    }
    expect(verdict(judgeClosedEndpoints(oauth.provider, answer(404), answer(404)))[1]).toBe('no-mcp-endpoint');
  });
});

test.describe('nothing listens at the URL', () => {
  let port: number;
  test.beforeAll(async () => {
    // A port that was free a moment ago: nothing answers there.
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
  });
  const checkProject = async (config: LabConfig, dir: string) => {
    const report = await checkServer(
      {
        url: `http://127.0.0.1:${port}`,
        checkpoint: 2,
        credentials: { username: 'testuser', password: 'x' },
        config: loadConfig({ ...config.settings, OAUTH_PROVIDER_PORT: String(port), LOGTO_PORT: String(port) }),
        project: { dir },
      },
      [reachable],
    );
    return report.results[0]!;
  };
  const projectWith = (dir: string, code: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/whoami.js`, code);
    return dir;
  };

  test("on the OAuth 2 tab, a project whose code has the OIDC tab's `type: 'oidc'`: oidc-discovery-on-oauth-server, with the line", async ({}, testInfo) => {
    const dir = projectWith(
      testInfo.outputPath('oidc-snippet'),
      "const mcpAuth = new MCPAuth({ server: await fetchServerConfig(authIssuer, { type: 'oidc' }) });\n",
    );
    const result = await checkProject(oauth, dir);

    expect(result.diagnosis?.id).toBe('oidc-discovery-on-oauth-server');
    expect(result.detail).toBe(
      `nothing answers at http://127.0.0.1:${port} (ECONNREFUSED); whoami.js:1 has \`const mcpAuth = new MCPAuth({ server: await fetchServerConfig(authIssuer, { type: 'oidc' }) });\``,
    );
    expect(result.diagnosis?.mistake).toContain(`http://localhost:${port}/.well-known/openid-configuration`);
  });

  test('a project whose log says the OpenID discovery failed (the code elsewhere): the same diagnosis, quoting the log', async ({}, testInfo) => {
    const dir = projectWith(testInfo.outputPath('logged'), "import { setUpAuth } from './lib/auth.js';\n");
    const said = `MCPAuthConfigError: Failed to fetch server config from http://localhost:${port}/.well-known/openid-configuration: Not Found`;
    writeFileSync(`${dir}/server.log`, `node:internal/modules/run_main:123\n${said}\n`);
    const result = await checkProject(oauth, dir);

    expect(result.diagnosis?.id).toBe('oidc-discovery-on-oauth-server');
    expect(result.detail).toBe(`nothing answers at http://127.0.0.1:${port} (ECONNREFUSED); server.log:2 says "${said}"`);
  });

  test("on the Logto tab, a project whose issuer is Logto's endpoint without /oidc: logto-issuer-without-oidc, with the line", async ({}, testInfo) => {
    const dir = projectWith(testInfo.outputPath('logto-origin'), `const authIssuer = 'http://localhost:${port}';\n`);
    const result = await checkProject(logto, dir);

    expect(result.diagnosis?.id).toBe('logto-issuer-without-oidc');
    expect(result.detail).toBe(
      `nothing answers at http://127.0.0.1:${port} (ECONNREFUSED); whoami.js:1 has \`const authIssuer = 'http://localhost:${port}';\``,
    );
    expect(result.diagnosis?.code.node).toBe(`const authIssuer = 'http://localhost:${port}/oidc';`);
  });

  test('on the Logto tab, the issuer with /oidc and a server that is just not running: not-listening', async ({}, testInfo) => {
    const dir = projectWith(testInfo.outputPath('logto-oidc'), `const authIssuer = 'http://localhost:${port}/oidc';\n`);

    expect((await checkProject(logto, dir)).diagnosis?.id).toBe('not-listening');
  });

  test("the same code on the OIDC tab, and a project with the OAuth 2 tab's code: not-listening", async ({}, testInfo) => {
    const oidcSnippet = projectWith(testInfo.outputPath('oidc-tab'), "fetchServerConfig(authIssuer, { type: 'oidc' })\n");
    const oauthSnippet = projectWith(testInfo.outputPath('oauth-tab'), "fetchServerConfig(authIssuer, { type: 'oauth' })\n");

    expect((await checkProject(oidc, oidcSnippet)).diagnosis?.id).toBe('not-listening');
    expect((await checkProject(oauth, oauthSnippet)).diagnosis?.id).toBe('not-listening');
  });
});
