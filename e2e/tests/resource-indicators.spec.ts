/**
 * Resource indicators (RFC 8707) in spec mode, both ways: on a Keycloak with the
 * `resource-indicators` feature (26.6+) the token's `aud` comes from the `resource` the client
 * sends; without it Keycloak ignores `resource`, and the `mcp:whoami` scope's audience mapper puts
 * the server's URL into `aud`. Where the version has the feature, these tests start a Keycloak of
 * their own with it (with it, Keycloak refuses every `resource` it does not know — every other
 * test's server); elsewhere they use the run's. CI runs both ways (docs/keycloak-versions.md).
 */
import { decodeJwt } from 'jose';
import { withSettings } from '../../core/config.ts';
import { featureSince, isKeycloakAtLeast } from '../../core/keycloak-versions.ts';
import type { StartedKeycloak } from '../../lab/keycloak/started-keycloak.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { callWhoami, connectAfterLogin } from '../support/mcp-login.ts';
import { challengeError, probeMcp } from '../support/probe-mcp.ts';
import { freshAdmin, startRealmLab, type RealmLab } from '../support/realm-lab.ts';
import { testPorts } from '../support/test-ports.ts';
import { runLab } from '../support/run-command.ts';
import { startTestKeycloak } from '../support/test-keycloak.ts';
import { requestTokenAfterLogin } from '../support/token-request.ts';
import { resourceServerClientId } from '../../provisioning/provision.ts';

const resourceIndicators = isKeycloakAtLeast(lab.keycloakVersion, featureSince['resource-indicators']);
const way = resourceIndicators ? 'with resource-indicators' : 'without resource-indicators';
/** The Keycloak these tests use: one of their own, with the feature, on the ports above the run's (+200). */
const keycloakLab = resourceIndicators
  ? withSettings(lab, {
      KEYCLOAK_PORT: String(lab.keycloak.port + 200),
      KEYCLOAK_MANAGEMENT_PORT: String(lab.keycloak.managementPort + 200),
      KEYCLOAK_URL: '',
      KEYCLOAK_INTERNAL_URL: '',
      KEYCLOAK_INSTANCE: 'e2e-resource-indicators',
      KEYCLOAK_FEATURES: 'resource-indicators',
    })
  : lab;
/** What a lab command needs to reach that Keycloak. */
const keycloakEnv = {
  KEYCLOAK_PORT: String(keycloakLab.keycloak.port),
  KEYCLOAK_MANAGEMENT_PORT: String(keycloakLab.keycloak.managementPort),
  KEYCLOAK_URL: '',
  KEYCLOAK_INTERNAL_URL: '',
};

let keycloak: StartedKeycloak | undefined;
let realmLab: RealmLab;

// One Keycloak, one realm and one server port for these tests: they take turns.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  test.setTimeout(keycloakLab.keycloak.readyTimeoutMs + 60_000);
  if (resourceIndicators) keycloak = await startTestKeycloak(keycloakLab, { logName: 'keycloak-resource-indicators.log' });
  // Dynamic registration is open in this realm: two tests register clients of their own.
  realmLab = await startRealmLab({
    prefix: 'resource',
    registration: 'dynamic',
    mode: 'spec',
    port: testPorts.resourceWhoami,
    base: keycloakLab,
  });
});
test.afterAll(async () => {
  await realmLab?.stop();
  await keycloak?.stop();
});

/** A token for the tutorial's client in this realm, asked for with the whoami scope. */
function whoamiToken(page: import('@playwright/test').Page, resources: { authorizationResource?: string; tokenResource?: string }) {
  return requestTokenAfterLogin(page, {
    issuer: realmLab.config.realm.issuer,
    clientId: lab.client.id,
    redirectUri: lab.client.testRedirectUri,
    scope: `openid ${lab.server.whoamiScope}`,
    credentials: lab.user,
    ...resources,
  });
}

test.describe(`spec mode, Keycloak ${lab.keycloakVersion} ${way}`, () => {
  test('provisioning binds the server the way this Keycloak can', async () => {
    const admin = await freshAdmin(keycloakLab);
    const realm = realmLab.config.realm.name;
    const scope = await admin.clientScopes.findOneByName({ realm, name: lab.server.whoamiScope });
    const [mapper] = await admin.clientScopes.listProtocolMappers({ realm, id: scope!.id! });
    const [serverClient] = await admin.clients.find({ realm, clientId: resourceServerClientId });

    if (resourceIndicators) {
      // The server is a client whose resource_url is its URL; the scope puts that client into aud.
      expect(serverClient?.attributes?.resource_url).toBe(realmLab.server.url);
      expect(mapper?.config).toMatchObject({ 'included.client.audience': resourceServerClientId });
      expect(mapper?.config?.['included.custom.audience'] ?? '').toBe('');
      expect(realmLab.provisioned.map(({ item }) => item)).toContain(`resource server ${resourceServerClientId}`);
    } else {
      expect(serverClient).toBeUndefined();
      expect(mapper?.config).toMatchObject({ 'included.custom.audience': realmLab.server.url });
    }
  });

  test("the MCP SDK client sends `resource`; the token's aud names the server and whoami answers", async ({ page }) => {
    const { client, provider } = await connectAfterLogin(page, {
      transport: 'streamable-http',
      credentials: lab.user,
      serverUrl: realmLab.server.url,
    });

    const claims = await callWhoami(client);
    expect(provider.authorizationUrl!.searchParams.get('resource')).toBe(realmLab.server.url);
    if (resourceIndicators) {
      // Narrowed to exactly the resource asked for: no `account`, no whoami-server.
      expect(claims.aud).toBe(realmLab.server.url);
    } else {
      expect([claims.aud].flat()).toContain(realmLab.server.url);
    }
    await client.close();
  });

  test('a token asked for without `resource`', async ({ page }) => {
    const { status, body } = await whoamiToken(page, {});
    expect(status, JSON.stringify(body)).toBe(200);
    const audience = [decodeJwt(body.access_token!).aud].flat();
    const probe = await probeMcp(realmLab.server.url, `Bearer ${body.access_token}`);

    if (resourceIndicators) {
      // aud comes from `resource`: without one the token names the server's client, not its URL,
      // and the server refuses it.
      expect(audience).toContain(resourceServerClientId);
      expect(audience).not.toContain(realmLab.server.url);
      expect(probe.status).toBe(401);
      expect(challengeError(probe.challenge)).toBe('invalid_token');
    } else {
      // The scope's mapper put the URL there, `resource` or not.
      expect(audience).toContain(realmLab.server.url);
      expect(probe.status).toBe(200);
    }
  });

  test('a `resource` Keycloak does not know', async ({ page }) => {
    const unknown = 'http://localhost:9/mcp';
    const { status, body } = await whoamiToken(page, { authorizationResource: unknown, tokenResource: unknown });

    if (resourceIndicators) {
      expect(status).toBe(400);
      expect(body).toEqual({
        error: 'invalid_target',
        error_description: 'The requested resource is invalid, missing, unknown, or malformed.',
      });
    } else {
      // Ignored: the token is the one the mapper makes.
      expect(status).toBe(200);
      const audience = [decodeJwt(body.access_token!).aud].flat();
      expect(audience).toContain(realmLab.server.url);
      expect(audience).not.toContain(unknown);
    }
  });

  test('a client that registered itself, whose token has no aud, asking for a `resource` (Keycloak bug with resource-indicators)', async ({
    page,
  }) => {
    // A client as the Inspector registers itself in tutorial mode: `openid profile email`, no
    // whoami scope, so nothing puts the server into its tokens (Full Scope Disabled: no `account` either).
    const clientId = await registerClient({ scope: lab.client.scope, grantTypes: ['authorization_code', 'refresh_token'] });

    const { status, body } = await requestTokenAfterLogin(page, {
      issuer: realmLab.config.realm.issuer,
      clientId,
      redirectUri: lab.client.testRedirectUri,
      scope: lab.client.scope,
      credentials: lab.user,
      authorizationResource: realmLab.server.url,
      consent: true,
    });

    if (resourceIndicators) {
      // Keycloak's ResourceIndicatorsPostProcessor reads the token's aud without a null check
      // (NullPointerException in findAudienceByClientAttribute): HTTP 500 where invalid_target is
      // due. When this fails, Keycloak fixed it: update docs/keycloak-versions.md.
      expect(status).toBe(500);
      expect(body.error).toBe('unknown_error');
    } else {
      expect(status, JSON.stringify(body)).toBe(200);
      expect(decodeJwt(body.access_token!).aud).toBeUndefined();
    }
  });

  test('a client without refresh tokens, asking for the whoami `resource` (Keycloak bug with resource-indicators)', async ({ page }) => {
    // Registered for the authorization code alone, as the MCP SDK's examples do: Keycloak then
    // issues no refresh token. The token names the server's client (the whoami scope), so the
    // resource is valid.
    const clientId = await registerClient({ scope: lab.server.whoamiScope, grantTypes: ['authorization_code'] });

    const { status, body } = await requestTokenAfterLogin(page, {
      issuer: realmLab.config.realm.issuer,
      clientId,
      redirectUri: lab.client.testRedirectUri,
      scope: `openid ${lab.server.whoamiScope}`,
      credentials: lab.user,
      authorizationResource: realmLab.server.url,
    });

    if (resourceIndicators) {
      // The same post-processor stores the resource in the refresh token, which is not there
      // (NullPointerException: refreshToken() is null): HTTP 500 instead of a token. When this
      // fails, Keycloak fixed it: update docs/keycloak-versions.md.
      expect(status).toBe(500);
      expect(body.error).toBe('unknown_error');
    } else {
      expect(status, JSON.stringify(body)).toBe(200);
      expect([decodeJwt(body.access_token!).aud].flat()).toContain(realmLab.server.url);
    }
  });
});

/** Registers a public client anonymously (the realm's dynamic profile allows the lab's scopes); returns its client ID. */
async function registerClient({ scope, grantTypes }: { scope: string; grantTypes: string[] }): Promise<string> {
  const registration = await fetch(`${realmLab.config.realm.issuer}/clients-registrations/openid-connect`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_name: 'MCP Auth Lab e2e',
      redirect_uris: [lab.client.testRedirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: grantTypes,
      response_types: ['code'],
      scope,
    }),
  });
  expect(registration.status, await registration.clone().text()).toBe(201);
  return ((await registration.json()) as { client_id: string }).client_id;
}

test.describe(`lab doctor, Keycloak ${lab.keycloakVersion} ${way}`, () => {
  test('names `aud` missing the resource, and its fix', async () => {
    const admin = await freshAdmin(keycloakLab);
    const realm = realmLab.config.realm.name;
    const doctor = () => runLab(['doctor'], { ...keycloakEnv, ...realmLab.env });
    const healthy = await doctor();
    expect(healthy.exitCode, healthy.stdout).toBe(0);
    expect(healthy.stdout).toContain(
      resourceIndicators
        ? `✓ audience: Keycloak narrows aud to resource ${realmLab.server.url}`
        : `✓ audience: scope ${lab.server.whoamiScope} puts ${realmLab.server.url} into aud`,
    );

    if (resourceIndicators) {
      // The server's client lost its resource_url: Keycloak refuses the resource.
      const [serverClient] = await admin.clients.find({ realm, clientId: resourceServerClientId });
      await admin.clients.update(
        { realm, id: serverClient!.id! },
        { ...serverClient, attributes: { ...serverClient!.attributes, resource_url: '' } },
      );
    } else {
      const scope = await admin.clientScopes.findOneByName({ realm, name: lab.server.whoamiScope });
      for (const mapper of await admin.clientScopes.listProtocolMappers({ realm, id: scope!.id! })) {
        await admin.clientScopes.delProtocolMapper({ realm, id: scope!.id!, mapperId: mapper.id! });
      }
    }
    const broken = await doctor();

    expect(broken.exitCode).toBe(1);
    const problems = broken.stdout.split('\n').filter((line) => line.startsWith('✗ '));
    expect(problems, broken.stdout).toHaveLength(1);
    expect(problems[0]).toContain(
      resourceIndicators
        ? `✗ audience: client scope ${lab.server.whoamiScope} names ${resourceServerClientId} (resource_url none), none with resource_url ${realmLab.server.url}: tokens for ${realmLab.server.url} carry no matching aud, and Keycloak refuses resource=${realmLab.server.url} ("invalid_target") — fix: run \`npm run provision\``
        : `✗ audience: client scope ${lab.server.whoamiScope} adds no audience: tokens for ${realmLab.server.url} carry no matching aud, and spec mode refuses them (401 invalid_token) — fix: run \`npm run provision\``,
    );

    const repaired = await runLab(['provision'], { ...keycloakEnv, ...realmLab.env });
    expect(repaired.exitCode, repaired.stderr).toBe(0);
    expect((await doctor()).exitCode).toBe(0);
  });
});
