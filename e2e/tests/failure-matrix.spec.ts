/**
 * The failure matrix: every way a request can fail to be authorized, in both modes, against the
 * real Keycloak — the exact status, the RFC 6750 error in the challenge, a JSON body a client can
 * parse, and nothing leaked (no token, no Keycloak URL, no stack trace). README "Failure matrix"
 * is this table.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { decodeJwt } from 'jose';
import type { AuthMode } from '../../core/config.ts';
import { connectAdminClient } from '../../provisioning/admin-client.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab, modes } from '../support/lab.ts';
import {
  RealmTestKey, matrixClients, otherRealm, passwordGrantToken, unsecured, withForeignSignature,
} from '../support/matrix-tokens.ts';
import { challengeError, probeMcp, type Probe } from '../support/probe-mcp.ts';
import { testPorts } from '../support/test-ports.ts';

/** What a mode must answer: a refusal (status + challenge error, null = none) or 200 (accepted). */
type Expected = { status: 200 } | { status: 400 | 401 | 403 | 431 | 503; error: string | null };

const accepted = { status: 200 } as const;
const noToken = { status: 401, error: null } as const;
const invalidRequest = { status: 400, error: 'invalid_request' } as const;
const invalidToken = { status: 401, error: 'invalid_token' } as const;
const insufficientScope = { status: 403, error: 'insufficient_scope' } as const;

let admin: KeycloakAdminClient;
let testKey: RealmTestKey;

async function freshAdmin(): Promise<KeycloakAdminClient> {
  return connectAdminClient({ baseUrl: lab.keycloak.adminUrl, username: lab.keycloak.adminUsername, password: lab.keycloak.adminPassword });
}

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
  for (const mode of modes) {
    await expect.poll(async () => (await probeMcp(lab.whoamiUrls[mode], `Bearer ${unchanged}`)).status, {
      message: `${mode} mode accepts a real token re-signed by the realm's test key`, timeout: 45_000, intervals: [1_000, 5_000],
    }).toBe(200);
  }
}

/** Status, challenge, body and leaks, in one place for every case. */
function expectAnswer(probe: Probe, expected: Expected, mode: AuthMode, token?: string): void {
  expect(probe.status, probe.text).toBe(expected.status);
  if (expected.status === 200) return;
  expect(probe.text).not.toMatch(/\n\s+at |<html|<pre/i);
  if (token) {
    expect(probe.text).not.toContain(token.slice(-20));
    expect(probe.challenge ?? '').not.toContain(token.slice(-20));
  }
  for (const internal of [lab.keycloak.url, lab.keycloak.internalUrl, '/realms/', 'localhost:' + testPorts.keycloakProxy]) {
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
  expect(body.error).toBe(expected.error ?? 'unauthorized');
  expect(probe.challenge).toMatch(/^Bearer(\s|$)/);
  expect(challengeError(probe.challenge)).toBe(expected.error);
  if (mode === 'spec') {
    expect(probe.challenge).toContain(`resource_metadata="${lab.whoamiUrls.spec}/.well-known/oauth-protected-resource"`);
    expect(probe.challenge).toContain(`scope="${lab.server.whoamiScope}"`);
  } else {
    expect(probe.challenge).not.toContain('resource_metadata');
  }
}

interface Case {
  name: string;
  authorization: () => Promise<string | undefined>;
  expected: Record<AuthMode, Expected>;
}

const cases: Case[] = [
  { name: 'no Authorization header', authorization: async () => undefined, expected: { tutorial: noToken, spec: noToken } },
  { name: 'another scheme (Basic)', authorization: async () => `Basic ${Buffer.from('testuser:testpassword').toString('base64')}`, expected: { tutorial: noToken, spec: noToken } },
  { name: 'empty bearer', authorization: async () => 'Bearer ', expected: { tutorial: invalidRequest, spec: invalidRequest } },
  { name: 'two tokens after Bearer', authorization: async () => 'Bearer one two', expected: { tutorial: invalidRequest, spec: invalidRequest } },
  { name: 'garbage', authorization: async () => 'Bearer not-a-jwt', expected: { tutorial: invalidToken, spec: invalidToken } },
  { name: 'a JWT with a bad signature', authorization: async () => `Bearer ${await withForeignSignature(await goodToken())}`, expected: { tutorial: invalidToken, spec: invalidToken } },
  { name: 'alg: none', authorization: async () => `Bearer ${unsecured(await goodToken())}`, expected: { tutorial: invalidToken, spec: invalidToken } },
  {
    name: 'expired (a real 1-second token)',
    authorization: async () => {
      const token = await passwordGrantToken({ clientId: matrixClients.shortLived, user: lab.user, scope: `openid ${lab.server.whoamiScope}` });
      const { exp } = decodeJwt(token);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp! * 1000 - Date.now()) + 1_500));
      return `Bearer ${token}`;
    },
    expected: { tutorial: invalidToken, spec: invalidToken },
  },
  {
    name: 'not yet valid (nbf in an hour, signed by a key in the realm\'s key set)',
    authorization: async () => {
      await expectTestKeyTrusted();
      return `Bearer ${await reSigned({ nbf: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 })}`;
    },
    expected: { tutorial: invalidToken, spec: invalidToken },
  },
  {
    name: 'wrong issuer (same realm, another host name)',
    authorization: async () => {
      await expectTestKeyTrusted();
      return `Bearer ${await reSigned({ iss: lab.realm.issuer.replace('localhost', '127.0.0.1') })}`;
    },
    expected: { tutorial: invalidToken, spec: invalidToken },
  },
  {
    name: 'a token from another realm',
    authorization: async () => `Bearer ${await passwordGrantToken({ realm: otherRealm.name, clientId: otherRealm.clientId, user: lab.user, scope: 'openid' })}`,
    expected: { tutorial: invalidToken, spec: invalidToken },
  },
  {
    name: 'wrong audience (a real token for another client of the realm)',
    authorization: async () => `Bearer ${await passwordGrantToken({ clientId: matrixClients.unrelated, user: lab.user, scope: 'openid' })}`,
    expected: { tutorial: accepted, spec: invalidToken },
  },
  {
    name: `missing the required scope (${lab.server.whoamiScope})`,
    authorization: async () => `Bearer ${await passwordGrantToken({ clientId: matrixClients.audienceBound, user: lab.user, scope: 'openid' })}`,
    expected: { tutorial: accepted, spec: insufficientScope },
  },
  { name: 'an 8 KB garbage token', authorization: async () => `Bearer ${'x'.repeat(8 * 1024)}`, expected: { tutorial: invalidToken, spec: invalidToken } },
  { name: 'an oversized header (20 KB, over Node\'s 16 KB limit)', authorization: async () => `Bearer ${'x'.repeat(20 * 1024)}`, expected: { tutorial: { status: 431, error: null }, spec: { status: 431, error: null } } },
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

  test('control: a good token is accepted in both modes, and so is its copy signed by the realm\'s test key', async () => {
    const token = await goodToken();
    for (const mode of modes) expectAnswer(await probeMcp(lab.whoamiUrls[mode], `Bearer ${token}`), accepted, mode);
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

  for (const { name, authorization, expected } of cases) {
    test(`${name} → tutorial ${describe(expected.tutorial)}, spec ${describe(expected.spec)}`, async () => {
      const header = await authorization();
      for (const mode of modes) {
        const token = header?.replace(/^\S+\s*/, '');
        expectAnswer(await probeMcp(lab.whoamiUrls[mode], header), expected[mode], mode, token || undefined);
      }
    });
  }

  for (const change of ['disabled', 'logged out'] as const) {
    test(`a user who was ${change} after getting a token → tutorial 401 invalid_token, spec 200 until the token expires`, async ({ throwawayUser, admin: testAdmin }) => {
      const token = await goodToken(throwawayUser);
      for (const mode of modes) expectAnswer(await probeMcp(lab.whoamiUrls[mode], `Bearer ${token}`), accepted, mode);

      if (change === 'disabled') {
        await testAdmin.users.update({ realm: lab.realm.name, id: throwawayUser.id }, { enabled: false });
      } else {
        await testAdmin.users.logout({ realm: lab.realm.name, id: throwawayUser.id });
      }

      // Tutorial mode asks Keycloak (userinfo) on every request and hears about it at once.
      expectAnswer(await probeMcp(lab.whoamiUrls.tutorial, `Bearer ${token}`), invalidToken, 'tutorial', token);
      // Spec mode checks the JWT locally: signature, issuer, audience, expiry are all still fine.
      // Keycloak's short access-token lifespan bounds how long; token introspection (RFC 7662)
      // would close the gap at the price of a call per request.
      expectAnswer(await probeMcp(lab.whoamiUrls.spec, `Bearer ${token}`), accepted, 'spec');
    });
  }
});

function describe(expected: Expected): string {
  return expected.status === 200 ? '200' : `${expected.status}${expected.error ? ` ${expected.error}` : ''}`;
}
