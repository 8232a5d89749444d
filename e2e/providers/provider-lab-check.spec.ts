/**
 * `lab check` on the tutorial's "OIDC" and "OAuth 2" tabs (LAB_PROVIDER), against the lab's own
 * authorization servers: the tier's Node.js and Python servers pass every checkpoint, and broken
 * learner servers are each named by their diagnosis — on the OAuth 2 tab the tutorial's own code
 * with one of the tab's changes missed (support/tab-projects.ts), on the OIDC tab copies of the
 * lab's server with one classic mistake (support/broken-servers.ts). The checks' opaque tokens have
 * their claims from the server's identity endpoint, and their forgeries are tampered copies.
 */
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { brokenCopy, brokenServers, startServer } from '../support/broken-servers.ts';
import type { JsonReport } from '../support/lab-check-report.ts';
import { failedDiagnoses as failed } from '../support/lab-check-report.ts';
import {
  authServerKinds,
  providerLab,
  providerUsers,
  providerWhoamiUrl,
  tabNames,
  whoamiSdks,
  type AuthServerKind,
} from '../support/provider-labs.ts';
import { labOutputLines, runLab } from '../support/run-command.ts';
import { oauthTabServer, runTabProject, startTabProject, writeTabProject, type OAuthTabCode } from '../support/tab-projects.ts';
import { testPorts } from '../support/test-ports.ts';

/** The ports of this spec's learner servers: one each, so that the tests run at once. */
const ports = {
  oauthAsWritten: testPorts.providerCheckServers,
  oidcSnippet: testPorts.providerCheckServers + 1,
  otherUserEndpoint: testPorts.providerCheckServers + 2,
  userinfoFromMetadata: testPorts.providerCheckServers + 3,
  scopeOpenid: testPorts.providerCheckServers + 4,
  // The OIDC tab's broken copies, from here up.
  oidcBroken: testPorts.providerCheckServers + 10,
};

/** The environment of `lab check` on tab `kind`: the tier's issuer ports, and LAB_PROVIDER unless the project's .env is to say it. */
function tabEnv(kind: AuthServerKind, { withProvider = true } = {}): Record<string, string> {
  const { LAB_PROVIDER, ...settings } = providerLab(kind).settings as Record<string, string>;
  return withProvider ? { ...settings, LAB_PROVIDER: LAB_PROVIDER! } : settings;
}

/** `lab check TARGET --json` as a learner runs it on tab `kind`; its report parsed. */
async function checkOnTab(kind: AuthServerKind, target: string, { withProvider = true } = {}) {
  const result = await runLab(['check', target, '--json'], tabEnv(kind, { withProvider }), 55_000);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`lab check printed no JSON (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  }
  return { exitCode: result.exitCode, report, stdout: result.stdout };
}

const detailOf = (report: JsonReport, line: string) => report.results.find(({ name }) => name === line)?.detail ?? '';
const allPass = ['reachable: pass', 'transport: pass', 'checkpoint 1: pass', 'metadata: pass', 'checkpoint 2: pass', 'forged token: pass'];

test.describe('lab check on the OIDC and OAuth 2 tabs', () => {
  for (const kind of authServerKinds) {
    const { provider } = providerLab(kind);
    for (const sdk of whoamiSdks) {
      test(`the ${tabNames[kind]} tab's ${sdk === 'node' ? 'Node.js' : 'Python'} server passes every checkpoint: the claims from ${kind === 'oauth' ? 'the user endpoint' : 'userinfo'}, a tampered opaque token refused`, async () => {
        const { exitCode, report, stdout } = await checkOnTab(kind, providerWhoamiUrl(kind, sdk));

        expect(
          report.results.map(({ name, status }) => `${name}: ${status}`),
          stdout,
        ).toEqual(allPass);
        expect(report.sdk).toBe(sdk);
        expect(detailOf(report, 'metadata')).toContain(`names ${provider.issuer}`);
        expect(detailOf(report, 'checkpoint 2')).toBe(
          `testuser signed in at ${provider.displayName}; whoami returned their claims (sub ${providerUsers.testuser.sub}) over SSE and Streamable HTTP`,
        );
        expect(detailOf(report, 'forged token')).toBe('a garbage token and a tampered token are refused');
        expect(exitCode).toBe(0);
      });
    }
  }

  test('the lines a learner reads name the tab\'s server, where LAB_PROVIDER came from, and "at" it, never Keycloak', async () => {
    const url = providerWhoamiUrl('oauth', 'node');
    const result = await runLab(['check', url], tabEnv('oauth'), 55_000);
    const lines = labOutputLines(result.stdout);

    expect(lines[0], result.stdout + result.stderr).toBe(
      `Checking the server at ${url}, signing in at the OAuth 2.0 server at ${providerLab('oauth').provider.issuer} (LAB_PROVIDER=oauth)`,
    );
    expect(lines).toContain(
      `✓ checkpoint 2: testuser signed in at the OAuth 2.0 server; whoami returned their claims (sub ${providerUsers.testuser.sub}) over SSE and Streamable HTTP`,
    );
    expect(result.stdout).not.toContain('Keycloak');
    expect(lines.at(-1)).toBe('All checks up to checkpoint 2 passed.');
    expect(result.exitCode).toBe(0);
  });
});

test.describe("lab check on the OAuth 2 tab: the tutorial's code, in a project `lab init --provider oauth` made", () => {
  const { provider } = providerLab('oauth');

  /** The project with `code` in a folder of the test's own. */
  function project(dir: string, port: number, code: OAuthTabCode): string {
    mkdirSync(dir, { recursive: true });
    return writeTabProject(dir, { port, provider: 'oauth', code: oauthTabServer(provider.issuer, code) });
  }

  test('as the tab writes it, it passes; `lab check DIR` takes LAB_PROVIDER from the .env', async ({}, testInfo) => {
    const dir = project(testInfo.outputPath('mcp-server'), ports.oauthAsWritten, { kind: 'as written' });
    const server = await startTabProject(dir, ports.oauthAsWritten, testInfo.outputPath('server.log'));
    try {
      const { exitCode, report, stdout } = await checkOnTab('oauth', dir, { withProvider: false });

      expect(
        report.results.map(({ name, status }) => `${name}: ${status}`),
        stdout,
      ).toEqual(allPass);
      // The tutorial's server: SSE only, and whoami returns the user endpoint's answer.
      expect(detailOf(report, 'checkpoint 2')).toContain(`(sub ${providerUsers.testuser.sub}) over SSE`);
      expect(exitCode).toBe(0);
    } finally {
      await server.stop();
    }
  });

  test("the OIDC snippet (type 'oidc'): the server stops at start, and `lab check DIR` says why: oidc-discovery-on-oauth-server", async ({}, testInfo) => {
    const dir = project(testInfo.outputPath('mcp-server'), ports.oidcSnippet, { kind: 'the OIDC snippet' });
    const started = await runTabProject(dir);
    expect(started.exitCode, started.stdout).not.toBe(0);
    expect(started.stderr).toContain(`Failed to fetch server config from ${provider.issuer}/.well-known/openid-configuration`);

    const { exitCode, report, stdout } = await checkOnTab('oauth', dir, { withProvider: false });

    expect(failed(report), stdout).toEqual(['oidc-discovery-on-oauth-server']);
    expect(detailOf(report, 'reachable')).toMatch(
      new RegExp(
        `^nothing answers at http://localhost:${ports.oidcSnippet} \\(ECONNREFUSED\\); whoami\\.js:\\d+ has \`server: await fetchServerConfig\\(authIssuer, \\{ type: 'oidc' \\}\\),\`; GET ${provider.issuer}/\\.well-known/openid-configuration answers 404$`,
      ),
    );
    expect(exitCode).toBe(1);
  });

  test('verifyToken asking another URL than the user endpoint (/userinfo): user-endpoint-wrong, naming the one that answers', async ({}, testInfo) => {
    const dir = project(testInfo.outputPath('mcp-server'), ports.otherUserEndpoint, {
      kind: 'another user endpoint',
      userEndpoint: `${provider.issuer}/userinfo`,
    });
    const server = await startTabProject(dir, ports.otherUserEndpoint, testInfo.outputPath('server.log'));
    try {
      const { exitCode, report, stdout } = await checkOnTab('oauth', `http://localhost:${ports.otherUserEndpoint}`);

      expect(failed(report), stdout).toEqual(['user-endpoint-wrong']);
      expect(detailOf(report, 'checkpoint 2')).toContain(`GET ${provider.userEndpoint} with the same token answers 200`);
      expect(exitCode).toBe(1);
    } finally {
      await server.stop();
    }
  });

  test("the OIDC tab's verifyToken (the metadata's userinfoEndpoint) with type 'oauth': no-userinfo-in-oauth-metadata", async ({}, testInfo) => {
    const dir = project(testInfo.outputPath('mcp-server'), ports.userinfoFromMetadata, { kind: 'userinfo from the metadata' });
    const server = await startTabProject(dir, ports.userinfoFromMetadata, testInfo.outputPath('server.log'));
    try {
      const { exitCode, report, stdout } = await checkOnTab('oauth', dir, { withProvider: false });

      expect(failed(report), stdout).toEqual(['no-userinfo-in-oauth-metadata']);
      expect(detailOf(report, 'transport')).toContain('("Failed to parse URL from undefined")');
      expect(exitCode).toBe(1);
    } finally {
      await server.stop();
    }
  });

  test("the lab's server publishing the OIDC tab's scopes (openid): oauth-scope-openid, and the sign-in with the tab's scope still passes", async ({}, testInfo) => {
    const script = brokenCopy(testInfo.outputPath(), [
      [
        'whoami.ts',
        "scopes: settings.authServerType === 'oauth' ? ['profile'] : ['openid', 'profile', 'email'],",
        "scopes: ['openid', 'profile', 'email'],",
      ],
    ]);
    const server = await startServer(script, ports.scopeOpenid, testInfo.outputPath('server.log'), { lab: providerLab('oauth') });
    try {
      const { exitCode, report, stdout } = await checkOnTab('oauth', `http://localhost:${ports.scopeOpenid}`);

      expect(failed(report), stdout).toEqual(['oauth-scope-openid']);
      expect(detailOf(report, 'metadata')).toBe(
        'the protected resource metadata has clients ask for openid profile email; the OAuth 2.0 server refuses openid (its scope: profile)',
      );
      expect(exitCode).toBe(1);
    } finally {
      await server.stop();
    }
  });
});

test.describe("lab check on the OIDC tab: the lab's server with one classic mistake", () => {
  const broken = (diagnosis: string) => brokenServers.find((server) => server.diagnosis === diagnosis)!;
  const cases = [
    {
      // Told from the user's own claims by the sub userinfo gives for the opaque token.
      server: broken('fixed-user-claims'),
      line: 'checkpoint 2',
      detail: new RegExp(
        `^testuser signed in \\(sub ${providerUsers.testuser.sub}\\), but whoami returned sub 00000000-0000-0000-0000-000000000000 \\(alice\\) over `,
      ),
    },
    {
      // It decodes the token as a JWT: an opaque one, tampered or garbage, passes all the same.
      server: broken('verify-accepts-any-token'),
      line: 'forged token',
      detail: /^a garbage token and a tampered token \(one character changed\) got an (SSE stream|MCP session)$/,
    },
  ];

  for (const [index, { server: brokenServer, line, detail }] of cases.entries()) {
    test(`a server with ${brokenServer.name}: ${brokenServer.diagnosis}`, async ({}, testInfo) => {
      const port = ports.oidcBroken + index;
      const server = await startServer(brokenCopy(testInfo.outputPath(), brokenServer.edits), port, testInfo.outputPath('server.log'), {
        lab: providerLab('oidc'),
      });
      try {
        const { exitCode, report, stdout } = await checkOnTab('oidc', `http://localhost:${port}`);

        expect(failed(report), stdout).toContain(brokenServer.diagnosis);
        expect(detailOf(report, line)).toMatch(detail);
        expect(report.results.find(({ name }) => name === line)?.diagnosis?.id).toBe(brokenServer.diagnosis);
        expect(exitCode).toBe(1);
      } finally {
        await server.stop();
      }
    });
  }
});
