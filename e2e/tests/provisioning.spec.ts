import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { registrationPolicyType } from '../../provisioning/ensure-registration-policies.ts';
import { provisionLab, resourceServerClientId } from '../../provisioning/provision.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { withSettings } from '../../core/config.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';

/** A realm of its own per test, so repairing drift never disturbs the tests logging in. */
function labWithOwnRealm(settings: Record<string, string> = {}) {
  return withSettings(lab, { KEYCLOAK_REALM: `provisioning-${randomBytes(4).toString('hex')}`, ...settings });
}

/** With resource indicators the server gets a client of its own (see resource-indicators.spec.ts). */
const resourceIndicators = lab.keycloakFeatures.includes('resource-indicators');

test.describe('provisioning', () => {
  test('creates realm, user, client and client scope, then a second and third run change nothing', async ({ admin }) => {
    const ownLab = labWithOwnRealm();
    const first = await provisionLab(admin, ownLab);
    const second = await provisionLab(admin, ownLab);
    const third = await provisionLab(admin, ownLab);

    expect(first.map(({ item, action }) => `${item}: ${action}`)).toEqual([
      `realm ${ownLab.realm.name}: created`,
      `user ${ownLab.user.username}: created`,
      `client ${ownLab.client.id}: created`,
      `client scope ${ownLab.server.whoamiScope}: created`,
      ...(resourceIndicators ? [`resource server ${resourceServerClientId}: created`] : []),
      // The tutorial's profile: registration stays closed, as Keycloak ships it.
      'anonymous client registration: unchanged',
    ]);
    expect(
      second.every(({ action }) => action === 'unchanged'),
      JSON.stringify(second),
    ).toBe(true);
    expect(third).toEqual(second);
    await admin.realms.del({ realm: ownLab.realm.name });
  });

  test("the client is the tutorial's: public, standard flow, PKCE S256, the Inspector's redirect URI and web origin", async ({ admin }) => {
    const [client] = await admin.clients.find({ realm: lab.realm.name, clientId: lab.client.id });

    expect(client).toMatchObject({
      publicClient: true,
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
      implicitFlowEnabled: false,
      attributes: expect.objectContaining({ 'pkce.code.challenge.method': 'S256' }),
    });
    expect(client!.redirectUris).toContain(lab.client.inspectorRedirectUri);
    expect(client!.redirectUris).toContain(lab.client.inspectorCliRedirectUri);
    expect(client!.webOrigins).toContain(lab.client.inspectorWebOrigin);
  });

  test('puts back a drifted client, a disabled user, a forgotten password and a required action', async ({ admin }) => {
    const ownLab = labWithOwnRealm();
    await provisionLab(admin, ownLab);
    const realm = ownLab.realm.name;
    const [client] = await admin.clients.find({ realm, clientId: ownLab.client.id });
    await admin.clients.update(
      { realm, id: client!.id! },
      { ...client, redirectUris: ['http://evil.example/callback'], publicClient: false },
    );
    const [user] = await admin.users.find({ realm, username: ownLab.user.username, exact: true });
    await admin.users.update({ realm, id: user!.id! }, { ...user, enabled: false, requiredActions: ['UPDATE_PROFILE'] });
    await admin.users.resetPassword({ realm, id: user!.id!, credential: { type: 'password', value: 'something-else', temporary: false } });

    const repair = await provisionLab(admin, ownLab);

    expect(repair).toEqual([
      { item: `realm ${realm}`, action: 'unchanged' },
      { item: `user ${ownLab.user.username}`, action: 'updated', fields: ['enabled', 'requiredActions', 'password'] },
      { item: `client ${ownLab.client.id}`, action: 'updated', fields: ['publicClient', 'redirectUris'] },
      { item: `client scope ${ownLab.server.whoamiScope}`, action: 'unchanged' },
      ...(resourceIndicators ? [{ item: `resource server ${resourceServerClientId}`, action: 'unchanged' }] : []),
      { item: 'anonymous client registration', action: 'unchanged' },
    ]);
    expect((await provisionLab(admin, ownLab)).every(({ action }) => action === 'unchanged')).toBe(true);
    await admin.realms.del({ realm });
  });

  test('the whoami scope is an optional scope of the client whose audience mapper names the server', async ({ admin }) => {
    const ownLab = labWithOwnRealm();
    await provisionLab(admin, ownLab);
    const realm = ownLab.realm.name;
    const scope = await admin.clientScopes.findOneByName({ realm, name: ownLab.server.whoamiScope });
    const [client] = await admin.clients.find({ realm, clientId: ownLab.client.id });

    const [mapper] = await admin.clientScopes.listProtocolMappers({ realm, id: scope!.id! });
    // With resource indicators the mapper names the server's client, whose resource_url is the URL.
    const audience = resourceIndicators
      ? { 'included.client.audience': resourceServerClientId }
      : { 'included.custom.audience': ownLab.server.resourceUrl };
    expect(mapper).toMatchObject({
      protocolMapper: 'oidc-audience-mapper',
      config: expect.objectContaining({ ...audience, 'access.token.claim': 'true' }),
    });
    expect((await admin.clients.listOptionalClientScopes({ realm, id: client!.id! })).map(({ name }) => name)).toContain(
      ownLab.server.whoamiScope,
    );
    expect((await admin.clients.listDefaultClientScopes({ realm, id: client!.id! })).map(({ name }) => name)).not.toContain(
      ownLab.server.whoamiScope,
    );
    await admin.realms.del({ realm });
  });

  test('puts back a drifted audience, a removed mapper and a scope taken off the client', async ({ admin }) => {
    const ownLab = labWithOwnRealm();
    await provisionLab(admin, ownLab);
    const realm = ownLab.realm.name;
    const scope = await admin.clientScopes.findOneByName({ realm, name: ownLab.server.whoamiScope });
    const [client] = await admin.clients.find({ realm, clientId: ownLab.client.id });
    const [mapper] = await admin.clientScopes.listProtocolMappers({ realm, id: scope!.id! });
    await admin.clientScopes.updateProtocolMapper(
      { realm, id: scope!.id!, mapperId: mapper!.id! },
      { ...mapper, config: { ...mapper!.config, 'included.custom.audience': 'http://elsewhere.example' } },
    );
    await admin.clients.delOptionalClientScope({ realm, id: client!.id!, clientScopeId: scope!.id! });

    const drifted = await provisionLab(admin, ownLab);
    await admin.clientScopes.delProtocolMapper({ realm, id: scope!.id!, mapperId: mapper!.id! });
    const mapperRemoved = await provisionLab(admin, ownLab);

    expect(drifted[3]).toEqual({
      item: `client scope ${ownLab.server.whoamiScope}`,
      action: 'updated',
      fields: ['audience mapper', `optional scope of ${ownLab.client.id}`],
    });
    expect(mapperRemoved[3]).toEqual({ item: `client scope ${ownLab.server.whoamiScope}`, action: 'updated', fields: ['audience mapper'] });
    expect((await provisionLab(admin, ownLab)).every(({ action }) => action === 'unchanged')).toBe(true);
    await admin.realms.del({ realm });
  });

  test("LAB_CLIENT_REGISTRATION=dynamic opens anonymous registration to the lab's hosts, origin and scopes only; reruns change nothing, drift is put back, manual closes it", async ({
    admin,
  }) => {
    const dynamicLab = labWithOwnRealm({ LAB_CLIENT_REGISTRATION: 'dynamic' });
    const realm = dynamicLab.realm.name;
    const registration = (changes: Awaited<ReturnType<typeof provisionLab>>) =>
      changes.find(({ item }) => item === 'anonymous client registration');
    const policies = async () =>
      Object.fromEntries(
        (await admin.components.find({ realm, type: registrationPolicyType }))
          .filter(({ subType }) => subType === 'anonymous')
          .map(({ providerId, config }) => [providerId, config]),
      );

    const first = await provisionLab(admin, dynamicLab);
    const opened = await policies();
    const second = await provisionLab(admin, dynamicLab);

    expect(registration(first)).toMatchObject({
      action: 'updated',
      fields: expect.arrayContaining(['Trusted Hosts', 'Allowed Client Scopes']),
    });
    expect(
      second.every(({ action }) => action === 'unchanged'),
      JSON.stringify(second),
    ).toBe(true);
    expect(opened['trusted-hosts']).toMatchObject({
      'host-sending-registration-request-must-match': ['true'],
      'client-uris-must-match': ['true'],
    });
    expect([...opened['trusted-hosts']!['trusted-hosts']!].sort()).toEqual(['127.0.0.1', 'github.com', 'localhost']);
    expect(opened['allowed-client-templates']).toMatchObject({ 'allow-default-scopes': ['false'] });
    expect([...opened['allowed-client-templates']!['allowed-client-scopes']!].sort()).toEqual([
      'basic',
      'email',
      'mcp:whoami',
      'offline_access',
      'openid',
      'profile',
    ]);
    if (opened['registration-web-origins'])
      expect(opened['registration-web-origins']).toEqual({ 'web-origins': [lab.client.inspectorWebOrigin] });
    // Keycloak's other anonymous policies stay as they ship.
    expect(Object.keys(opened)).toEqual(expect.arrayContaining(['consent-required', 'scope', 'max-clients']));

    const [trustedHosts] = (await admin.components.find({ realm, type: registrationPolicyType })).filter(
      ({ subType, providerId }) => subType === 'anonymous' && providerId === 'trusted-hosts',
    );
    await admin.components.update(
      { realm, id: trustedHosts!.id! },
      { ...trustedHosts, config: { ...trustedHosts!.config, 'trusted-hosts': ['example.org'], 'client-uris-must-match': ['false'] } },
    );
    expect(registration(await provisionLab(admin, dynamicLab))).toEqual({
      item: 'anonymous client registration',
      action: 'updated',
      fields: ['Trusted Hosts'],
    });
    expect((await provisionLab(admin, dynamicLab)).every(({ action }) => action === 'unchanged')).toBe(true);

    const closed = await provisionLab(admin, withSettings(dynamicLab, { LAB_CLIENT_REGISTRATION: 'manual' }));
    expect(registration(closed)).toMatchObject({ action: 'updated' });
    expect((await policies())['trusted-hosts']!['trusted-hosts'] ?? []).toEqual([]);
    await admin.realms.del({ realm });
  });

  test('wrong admin credentials: one line naming the login, non-zero exit', async () => {
    const result = await runLab(['provision'], { KEYCLOAK_ADMIN_PASSWORD: 'wrong-password' });

    expect(result.exitCode).toBe(1);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain(`refused the admin login for "${lab.keycloak.adminUsername}"`);
  });

  test('an unreachable Keycloak: one line naming the URL, non-zero exit', async () => {
    const result = await runLab(['provision'], { KEYCLOAK_URL: 'http://127.0.0.1:9', PROVISION_WAIT_MS: '2000' });

    expect(result.exitCode).toBe(1);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('Keycloak not reachable at http://127.0.0.1:9');
  });

  test('a Keycloak that never gets ready: one line with what it answered, non-zero exit', async () => {
    const starting = http.createServer((_request, response) => {
      response.writeHead(503).end('starting');
    });
    await new Promise<void>((resolve) => starting.listen(0, '127.0.0.1', resolve));
    const { port } = starting.address() as AddressInfo;
    try {
      const result = await runLab(['provision'], { KEYCLOAK_URL: `http://127.0.0.1:${port}`, PROVISION_WAIT_MS: '3000' });

      expect(result.exitCode).toBe(1);
      expect(isOneLineError(result.stderr)).toBe(true);
      expect(result.stderr).toContain(`Keycloak not ready at http://127.0.0.1:${port} after 3 s (HTTP 503)`);
    } finally {
      starting.close();
    }
  });
});
