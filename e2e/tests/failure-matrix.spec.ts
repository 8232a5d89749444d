/**
 * The failure matrix: every way a request can fail to be authorized, against the real Keycloak —
 * for the Node server in both modes and the 2026-07-28 server (MCP_REVISION, SDK 2.x, spec mode's
 * guard), the exact status, the RFC 6750 error in the challenge, a JSON body a client can parse; for the Python server (tutorial mode), what mcpauth 0.1.1 answers: a
 * status and a JSON body with its own error code, and no challenge at all. Nothing leaked anywhere
 * (no token, no Keycloak URL, no stack trace). README "Failure matrix" and docs/python.md are this table.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { decodeJwt } from 'jose';
import { freshAdmin } from '../support/realm-lab.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab, modes } from '../support/lab.ts';
import { RealmTestKey, matrixClients, otherRealm, passwordGrantToken, unsecured, withForeignSignature } from '../support/matrix-tokens.ts';
import { challengeError, probeMcp, type Probe } from '../support/probe-mcp.ts';
import { testPorts } from '../support/test-ports.ts';

/**
 * What a server must answer: a refusal or 200 (accepted). For the Node server `error` is the
 * challenge's error (null = none) and the body's; for the Python server, the body's (mcpauth's code).
 */
type Expected = { status: 200 } | { status: 400 | 401 | 403 | 431 | 503; error: string | null };

/** The Node server in each mode, the 2026-07-28 server, and the Python server (tutorial mode). */
type Column = 'tutorial' | 'spec' | '2026' | 'python';
const columns: Array<{ column: Column; url: string }> = [
  ...modes.map((mode) => ({ column: mode, url: lab.whoamiUrls[mode] })),
  ...(lab.revision2026WhoamiUrl ? [{ column: '2026' as const, url: lab.revision2026WhoamiUrl }] : []),
  { column: 'python', url: lab.pythonWhoamiUrl },
];

/** The columns that check JWTs themselves: spec mode's guard, on SDK 1.x and on SDK 2.x. */
const jwtColumns: readonly Column[] = ['spec', '2026'];

const accepted = { status: 200 } as const;
const noToken = { status: 401, error: null } as const;
const invalidRequest = { status: 400, error: 'invalid_request' } as const;
const invalidToken = { status: 401, error: 'invalid_token' } as const;
const insufficientScope = { status: 403, error: 'insufficient_scope' } as const;
/** mcpauth 0.1.1's refusals: 401 for all of them, its own error codes. */
const mcpauthRefusal = (error: 'missing_auth_header' | 'invalid_auth_header_format' | 'token_verification_failed') =>
  ({ status: 401, error }) as const;

let admin: KeycloakAdminClient;
let testKey: RealmTestKey;

/** A real token meant for the whoami servers: right issuer, `aud`, `mcp:whoami`. */
function goodToken(user: { username: string; password: string } = lab.user): Promise<string> {
  return passwordGrantToken({ clientId: matrixClients.audienceBound, user, scope: `openid ${lab.server.whoamiScope}` });
}

/**
 * The claims of a real token Keycloak issued for the whoami servers (its session included, so
 * userinfo knows it), re-signed by the realm's test key with `overrides`: a token that differs from
 * an accepted one only where the test says.
 */
async function reSigned(overrides: Record<string, unknown> = {}): Promise<string> {
  return testKey.sign({ ...decodeJwt(await goodToken()), ...overrides });
}

/**
 * The precondition of a forged-claims row: the same token re-signed by the test key, unchanged,
 * is accepted in every mode — so a refusal of the changed one is for the change, not for the key.
 * jose refetches an unknown key set at most every 30 s; spec mode may need a moment to trust it.
 */
async function expectTestKeyTrusted(): Promise<void> {
  const unchanged = await reSigned();
  for (const { column, url } of columns) {
    await expect
      .poll(async () => (await probeMcp(url, `Bearer ${unchanged}`)).status, {
        message: `${column} accepts a real token re-signed by the realm's test key`,
        timeout: 45_000,
        intervals: [1_000, 5_000],
      })
      .toBe(200);
  }
}

/** Status, challenge, body and leaks, in one place for every case. */
function expectAnswer(probe: Probe, expected: Expected, { column, url }: { column: Column; url: string }, token?: string): void {
  expect(probe.status, probe.text).toBe(expected.status);
  if (expected.status === 200) return;
  expect(probe.text).not.toMatch(/\n\s+at |<html|<pre/i);
  if (token) {
    expect(probe.text).not.toContain(token.slice(-20));
    expect(probe.challenge ?? '').not.toContain(token.slice(-20));
  }
  for (const internal of [lab.keycloak.url, lab.keycloak.internalUrl, '/realms/', `localhost:${testPorts.keycloakProxy}`]) {
    expect(probe.text).not.toContain(internal);
    expect(probe.challenge ?? '').not.toContain(internal);
  }
  if (expected.status === 431) return; // Node's HTTP parser answers before any code of ours runs
  expect(probe.contentType).toMatch(/^application\/json/);
  const body = JSON.parse(probe.text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  if (expected.status === 503) {
    expect(body.error).toBe('temporarily_unavailable');
    expect(probe.retryAfter).toMatch(/^\d+$/);
    expect(probe.challenge).toBeNull();
    return;
  }
  if (column === 'python') {
    // mcpauth 0.1.1 sends no WWW-Authenticate at all; its error code is in the body only.
    expect(probe.challenge).toBeNull();
    expect(body.error).toBe(expected.error);
    return;
  }
  expect(body.error).toBe(expected.error ?? 'unauthorized');
  expect(probe.challenge).toMatch(/^Bearer(\s|$)/);
  expect(challengeError(probe.challenge)).toBe(expected.error);
  if (jwtColumns.includes(column)) {
    expect(probe.challenge).toContain(`resource_metadata="${url}/.well-known/oauth-protected-resource"`);
    expect(probe.challenge).toContain(`scope="${lab.server.whoamiScope}"`);
  } else {
    expect(probe.challenge).not.toContain('resource_metadata');
  }
}

interface Case {
  name: string;
  authorization: () => Promise<string | undefined>;
  /** The 2026-07-28 server answers as spec mode does: the same guard. */
  expected: Record<Exclude<Column, '2026'>, Expected>;
}

function expectedIn(expected: Case['expected'], column: Column): Expected {
  return column === '2026' ? expected.spec : expected[column];
}

const cases: Case[] = [
  {
    name: 'no Authorization header',
    authorization: async () => undefined,
    expected: { tutorial: noToken, spec: noToken, python: mcpauthRefusal('missing_auth_header') },
  },
  {
    name: 'another scheme (Basic)',
    authorization: async () => `Basic ${Buffer.from('testuser:testpassword').toString('base64')}`,
    expected: { tutorial: noToken, spec: noToken, python: mcpauthRefusal('invalid_auth_header_format') },
  },
  {
    name: 'empty bearer',
    authorization: async () => 'Bearer ',
    expected: { tutorial: invalidRequest, spec: invalidRequest, python: mcpauthRefusal('invalid_auth_header_format') },
  },
  {
    name: 'two tokens after Bearer',
    authorization: async () => 'Bearer one two',
    expected: { tutorial: invalidRequest, spec: invalidRequest, python: mcpauthRefusal('invalid_auth_header_format') },
  },
  {
    name: 'garbage',
    authorization: async () => 'Bearer not-a-jwt',
    expected: { tutorial: invalidToken, spec: invalidToken, python: mcpauthRefusal('token_verification_failed') },
  },
  {
    name: 'a JWT with a bad signature',
    authorization: async () => `Bearer ${await withForeignSignature(await goodToken())}`,
    expected: { tutorial: invalidToken, spec: invalidToken, python: mcpauthRefusal('token_verification_failed') },
  },
  {
    name: 'alg: none',
    authorization: async () => `Bearer ${unsecured(await goodToken())}`,
    expected: { tutorial: invalidToken, spec: invalidToken, python: mcpauthRefusal('token_verification_failed') },
  },
  {
    name: 'expired (a real 1-second token)',
    authorization: async () => {
      const token = await passwordGrantToken({
        clientId: matrixClients.shortLived,
        user: lab.user,
        scope: `openid ${lab.server.whoamiScope}`,
      });
      const { exp } = decodeJwt(token);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp! * 1000 - Date.now()) + 1_500));
      return `Bearer ${token}`;
    },
    expected: { tutorial: invalidToken, spec: invalidToken, python: mcpauthRefusal('token_verification_failed') },
  },
  {
    name: "not yet valid (nbf in an hour, signed by a key in the realm's key set)",
    authorization: async () => {
      await expectTestKeyTrusted();
      return `Bearer ${await reSigned({ nbf: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 })}`;
    },
    expected: { tutorial: invalidToken, spec: invalidToken, python: mcpauthRefusal('token_verification_failed') },
  },
  {
    name: 'wrong issuer (same realm, another host name)',
    authorization: async () => {
      await expectTestKeyTrusted();
      return `Bearer ${await reSigned({ iss: lab.realm.issuer.replace('localhost', '127.0.0.1') })}`;
    },
    expected: { tutorial: invalidToken, spec: invalidToken, python: mcpauthRefusal('token_verification_failed') },
  },
  {
    name: 'a token from another realm',
    authorization: async () =>
      `Bearer ${await passwordGrantToken({ realm: otherRealm.name, clientId: otherRealm.clientId, user: lab.user, scope: 'openid' })}`,
    expected: { tutorial: invalidToken, spec: invalidToken, python: mcpauthRefusal('token_verification_failed') },
  },
  {
    name: 'wrong audience (a real token for another client of the realm)',
    authorization: async () => `Bearer ${await passwordGrantToken({ clientId: matrixClients.unrelated, user: lab.user, scope: 'openid' })}`,
    expected: { tutorial: accepted, spec: invalidToken, python: accepted },
  },
  {
    name: `missing the required scope (${lab.server.whoamiScope})`,
    authorization: async () =>
      `Bearer ${await passwordGrantToken({ clientId: matrixClients.audienceBound, user: lab.user, scope: 'openid' })}`,
    expected: { tutorial: accepted, spec: insufficientScope, python: accepted },
  },
  {
    name: 'an 8 KB garbage token',
    authorization: async () => `Bearer ${'x'.repeat(8 * 1024)}`,
    expected: { tutorial: invalidToken, spec: invalidToken, python: mcpauthRefusal('token_verification_failed') },
  },
  {
    name: "an oversized header (20 KB, over Node's 16 KB limit; uvicorn takes it and Keycloak refuses it)",
    authorization: async () => `Bearer ${'x'.repeat(20 * 1024)}`,
    expected: {
      tutorial: { status: 431, error: null },
      spec: { status: 431, error: null },
      python: mcpauthRefusal('token_verification_failed'),
    },
  },
];

test.describe('failure matrix', () => {
  test.describe.configure({ mode: 'default' });

  test.beforeAll(async () => {
    admin = await freshAdmin();
    testKey = await RealmTestKey.register(admin);
  });

  test.afterAll(async () => {
    await (await freshAdmin()).components.del({ realm: lab.realm.name, id: testKey.componentId });
  });

  test("control: a good token is accepted by every server, and so is its copy signed by the realm's test key", async () => {
    const token = await goodToken();
    for (const server of columns) expectAnswer(await probeMcp(server.url, `Bearer ${token}`), accepted, server);
    await expectTestKeyTrusted();
  });

  test('spec mode publishes protected resource metadata naming Keycloak and the scope', async () => {
    const response = await fetch(`${lab.whoamiUrls.spec}/.well-known/oauth-protected-resource`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource: lab.whoamiUrls.spec,
      authorization_servers: [lab.realm.issuer],
      scopes_supported: [lab.server.whoamiScope],
    });
  });

  test("the 2026-07-28 server's metadata names the step-up scope beside whoami's, and no offline_access", async () => {
    const response = await fetch(`${lab.revision2026WhoamiUrl}/.well-known/oauth-protected-resource`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource: lab.revision2026WhoamiUrl,
      authorization_servers: [lab.realm.issuer],
      scopes_supported: [lab.server.whoamiScope, lab.server.adminScope],
    });
  });

  for (const { name, authorization, expected } of cases) {
    test(`${name} → tutorial ${expectedAnswer(expected.tutorial)}, spec and 2026 ${expectedAnswer(expected.spec)}, python ${expectedAnswer(expected.python)}`, async () => {
      const header = await authorization();
      for (const server of columns) {
        const token = header?.replace(/^\S+\s*/, '');
        expectAnswer(await probeMcp(server.url, header), expectedIn(expected, server.column), server, token || undefined);
      }
    });
  }

  for (const change of ['disabled', 'logged out'] as const) {
    test(`a user who was ${change} after getting a token → tutorial 401 invalid_token, python 401 token_verification_failed, spec and 2026 200 until the token expires`, async ({
      throwawayUser,
      admin: testAdmin,
    }) => {
      const token = await goodToken(throwawayUser);
      for (const server of columns) expectAnswer(await probeMcp(server.url, `Bearer ${token}`), accepted, server);

      if (change === 'disabled') {
        await testAdmin.users.update({ realm: lab.realm.name, id: throwawayUser.id }, { enabled: false });
      } else {
        await testAdmin.users.logout({ realm: lab.realm.name, id: throwawayUser.id });
      }

      // Tutorial mode asks Keycloak (userinfo) on every request and hears about it at once.
      const server = (column: Column) => columns.find((candidate) => candidate.column === column)!;
      expectAnswer(await probeMcp(lab.whoamiUrls.tutorial, `Bearer ${token}`), invalidToken, server('tutorial'), token);
      expectAnswer(
        await probeMcp(lab.pythonWhoamiUrl, `Bearer ${token}`),
        mcpauthRefusal('token_verification_failed'),
        server('python'),
        token,
      );
      // Spec mode checks the JWT locally: signature, issuer, audience, expiry are all still fine.
      // Keycloak's short access-token lifespan bounds how long; token introspection (RFC 7662)
      // would close the gap at the price of a call per request.
      for (const column of jwtColumns) expectAnswer(await probeMcp(server(column).url, `Bearer ${token}`), accepted, server(column));
    });
  }
});

function expectedAnswer(expected: Expected): string {
  return expected.status === 200 ? '200' : `${expected.status}${expected.error ? ` ${expected.error}` : ''}`;
}
