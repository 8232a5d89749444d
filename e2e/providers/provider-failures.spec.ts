/**
 * The failure matrix's rows for the tutorial's "OIDC" and "OAuth 2" tabs (docs/modes-and-failure-matrix.md),
 * for each tab's Node and Python server: a token that is not one of its authorization server's —
 * garbage, a real one with one character changed, a real one of the other tab's server (the wrong
 * issuer) — is refused with 401; and while the authorization server is down, a JSON 503, after
 * which the servers serve again by themselves. The tabs' tokens are opaque: a server cannot read
 * them, it asks the authorization server's identity endpoint (OIDC: userinfo; OAuth 2: /user),
 * which refuses what it did not issue.
 *
 * The outage test runs an authorization server and two whoami servers of its own, so that stopping
 * it stops nobody else's:
 *
 *   oidc   :8185  ◄── whoami Node :3271, Python :3272
 *   oauth  :8186  ◄── whoami Node :3273, Python :3274
 */
import type { Browser } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { withSettings, type LabConfig, type WhoamiSdk } from '../../core/config.ts';
import { StopList } from '../../core/stop-list.ts';
import { tamperedCopy } from '../../lab/check/access-tokens.ts';
import { loginForAccessToken } from '../../lab/check/browser-login.ts';
import { startAuthServerProcess } from '../../lab/providers/provider-process.ts';
import { startWhoamiServer } from '../../lab/whoami-process.ts';
import { challengeError, probeMcp, type Probe } from '../support/probe-mcp.ts';
import {
  authServerKinds,
  preRegisteredRedirectUris,
  providerLab,
  providerUsers,
  providerWhoamiUrl,
  tabNames,
  whoamiSdks,
  type AuthServerKind,
} from '../support/provider-labs.ts';
import { labWithServerOn, testPorts } from '../support/test-ports.ts';

const otherTab = (kind: AuthServerKind): AuthServerKind => (kind === 'oidc' ? 'oauth' : 'oidc');

/** A real access token of `lab`'s authorization server for testuser, through its sign-in page. */
function signedInToken(browser: Browser, lab: LabConfig): Promise<string> {
  return loginForAccessToken(browser, {
    issuer: lab.provider.issuer,
    clientId: lab.provider.clientId,
    scope: lab.provider.scope,
    redirectUri: lab.client.testRedirectUri,
    credentials: providerUsers.testuser,
    provider: lab.provider.kind,
  });
}

/** One sign-in per tab and worker: tokens live an hour, and each row needs only to send one. */
const tabTokens = new Map<AuthServerKind, Promise<string>>();
function tabToken(browser: Browser, kind: AuthServerKind): Promise<string> {
  let token = tabTokens.get(kind);
  if (!token) {
    token = signedInToken(browser, providerLab(kind));
    tabTokens.set(kind, token);
    token.catch(() => tabTokens.delete(kind)); // the next test signs in again
  }
  return token;
}

/**
 * What nobody may read in a refusal: the token, the authorization server's URL, a stack trace.
 * `issuers` are those of both tabs, whichever was asked.
 */
function expectNothingLeaked(probe: Probe, token: string, issuers: string[]): void {
  expect(probe.text).not.toMatch(/\n\s+at |<html|<pre|fetch failed|ECONNREFUSED/i);
  for (const secret of [token.slice(-20), ...issuers]) {
    expect(probe.text).not.toContain(secret);
    expect(probe.challenge ?? '').not.toContain(secret);
  }
}

/** 401 as each SDK says it: the Node server RFC 6750's `invalid_token`; the Python server mcpauth 0.1.1's code, no challenge. */
function expectRefused(probe: Probe, sdk: WhoamiSdk): void {
  expect(probe.status, probe.text).toBe(401);
  expect(probe.contentType).toMatch(/^application\/json/);
  const body = JSON.parse(probe.text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  if (sdk === 'node') {
    expect(body.error).toBe('invalid_token');
    expect(probe.challenge).toMatch(/^Bearer\s/);
    expect(challengeError(probe.challenge)).toBe('invalid_token');
  } else {
    expect(body.error).toBe('token_verification_failed');
    expect(probe.challenge).toBeNull();
  }
}

/** The authorization server did not answer: not the token's fault. */
function expectUnavailable(probe: Probe): void {
  expect(probe.status, probe.text).toBe(503);
  expect(probe.contentType).toMatch(/^application\/json/);
  expect(JSON.parse(probe.text)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
  expect(probe.retryAfter).toMatch(/^\d+$/);
  expect(probe.challenge).toBeNull();
}

const issuers = authServerKinds.map((kind) => providerLab(kind).provider.issuer);

/**
 * A row: what is sent, made from a real token of tab `from` when it has one. Its precondition is
 * proved first: that real token, unchanged, is accepted by its own tab's server — so the refusal is
 * for what the row changed (a row run alone cannot pass for another reason).
 */
interface Case {
  name: string;
  from?: AuthServerKind;
  token: (real: string) => string;
}

for (const kind of authServerKinds) {
  const other = otherTab(kind);
  const cases: Case[] = [
    { name: 'garbage', token: () => 'not-a-token' },
    { name: 'a real token with one character changed', from: kind, token: tamperedCopy },
    { name: `a real token of the ${tabNames[other]} tab's server (wrong issuer)`, from: other, token: (real) => real },
  ];

  test.describe(`failure matrix, the ${tabNames[kind]} tab`, () => {
    test('control: a real token of its own authorization server is accepted by the Node and the Python server', async ({ browser }) => {
      const token = await tabToken(browser, kind);

      for (const sdk of whoamiSdks) {
        const probe = await probeMcp(providerWhoamiUrl(kind, sdk), `Bearer ${token}`);
        expect(probe.status, `${sdk}: ${probe.text}`).toBe(200);
      }
    });

    for (const { name, from, token: made } of cases) {
      test(`${name} → Node 401 invalid_token, Python 401 token_verification_failed`, async ({ browser }) => {
        let real = '';
        if (from) {
          real = await tabToken(browser, from);
          const accepted = await probeMcp(providerWhoamiUrl(from, 'node'), `Bearer ${real}`);
          expect(accepted.status, `the real token, unchanged, at the ${tabNames[from]} tab's server: ${accepted.text}`).toBe(200);
        }
        const token = made(real);

        for (const sdk of whoamiSdks) {
          const probe = await probeMcp(providerWhoamiUrl(kind, sdk), `Bearer ${token}`);
          expectRefused(probe, sdk);
          expectNothingLeaked(probe, token, issuers);
        }
      });
    }
  });
}

/** The outage test's labs: an authorization server and two whoami servers of its own per tab. */
const outagePorts = {
  oidc: { authServer: testPorts.outageOidcAuthServer, node: testPorts.outageOidcNodeWhoami, python: testPorts.outageOidcPythonWhoami },
  oauth: {
    authServer: testPorts.outageOauthAuthServer,
    node: testPorts.outageOauthNodeWhoami,
    python: testPorts.outageOauthPythonWhoami,
  },
} as const satisfies Record<AuthServerKind, Record<'authServer' | WhoamiSdk, number>>;

for (const kind of authServerKinds) {
  test(`the ${tabNames[kind]} tab's authorization server down: a JSON 503 from the Node and the Python server, then each serves again by itself`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(90_000);
    const ports = outagePorts[kind];
    const lab = withSettings(providerLab(kind), {
      [kind === 'oidc' ? 'OIDC_PROVIDER_PORT' : 'OAUTH_PROVIDER_PORT']: String(ports.authServer),
    });
    const { issuer } = lab.provider;
    const stateDir = testInfo.outputPath('state');
    const stops = new StopList();
    // Started, stopped and started again on the same port and state folder, as `lab up` would.
    const startAuthServer = (run: number) =>
      startAuthServerProcess({
        kind,
        issuer,
        port: ports.authServer,
        users: [providerUsers.testuser],
        inspectorOrigins: [lab.client.inspectorWebOrigin],
        clientId: lab.provider.clientId,
        redirectUris: preRegisteredRedirectUris(lab),
        stateDir,
        logPath: testInfo.outputPath(`${kind}-auth-server-${run}.log`),
      });
    const servers = {} as Record<WhoamiSdk, string>;
    const probeBoth = (token: string) =>
      Promise.all(whoamiSdks.map(async (sdk) => ({ sdk, probe: await probeMcp(servers[sdk], `Bearer ${token}`) })));
    try {
      // The whoami servers start while their authorization server is not there yet. Each start is
      // awaited (and its stop registered) before a failure is thrown.
      const starts = await Promise.allSettled(
        whoamiSdks.map(async (sdk) => {
          const started = await stops.adopt(
            startWhoamiServer(withSettings(labWithServerOn(ports[sdk], lab), { WHOAMI_SDK: sdk }), {
              logPath: testInfo.outputPath(`whoami-${sdk}.log`),
            }),
          );
          servers[sdk] = started.url;
        }),
      );
      for (const start of starts) if (start.status === 'rejected') throw start.reason;
      for (const { probe } of await probeBoth('before-any-sign-in')) expectUnavailable(probe);

      let authServer = await startAuthServer(1);
      stops.add(() => authServer.stop()); // whichever run is the last
      const token = await signedInToken(browser, lab);
      for (const { sdk, probe } of await probeBoth(token)) expect(probe.status, `${sdk}: ${probe.text}`).toBe(200);

      await authServer.stop();

      for (const { probe } of await probeBoth(token)) {
        expectUnavailable(probe);
        expectNothingLeaked(probe, token, [issuer]);
      }

      authServer = await startAuthServer(2);

      // Tokens are opaque and kept in memory: the server that came back does not know the old one
      // (a restart signs learners out), and a new sign-in is served without restarting either server.
      for (const { sdk, probe } of await probeBoth(token)) expectRefused(probe, sdk);
      const newToken = await signedInToken(browser, lab);
      for (const { sdk, probe } of await probeBoth(newToken)) expect(probe.status, `${sdk}: ${probe.text}`).toBe(200);
    } finally {
      await stops.stopAll();
    }
  });
}
