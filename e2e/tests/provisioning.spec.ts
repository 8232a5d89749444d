import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { provisionLab } from '../../provisioning/provision.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { withSettings } from '../../core/config.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';

/** A realm of its own per test, so repairing drift never disturbs the tests logging in. */
function labWithOwnRealm() {
  return withSettings(lab, { KEYCLOAK_REALM: `provisioning-${randomBytes(4).toString('hex')}` });
}

test.describe('provisioning', () => {
  test('creates realm, user, client and client scope, then a second and third run change nothing', async ({ admin }) => {
    const ownLab = labWithOwnRealm();
    const first = await provisionLab(admin, ownLab);
    const second = await provisionLab(admin, ownLab);
    const third = await provisionLab(admin, ownLab);

    expect(first.map(({ action }) => action)).toEqual(['created', 'created', 'created', 'created']);
    expect(second.map(({ action }) => action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(third).toEqual(second);
    await admin.realms.del({ realm: ownLab.realm.name });
  });

  test('the client is the tutorial\'s: public, standard flow, PKCE S256, the Inspector\'s redirect URI and web origin', async ({ admin }) => {
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
    await admin.clients.update({ realm, id: client!.id! }, { ...client, redirectUris: ['http://evil.example/callback'], publicClient: false });
    const [user] = await admin.users.find({ realm, username: ownLab.user.username, exact: true });
    await admin.users.update({ realm, id: user!.id! }, { ...user, enabled: false, requiredActions: ['UPDATE_PROFILE'] });
    await admin.users.resetPassword({ realm, id: user!.id!, credential: { type: 'password', value: 'something-else', temporary: false } });

    const repair = await provisionLab(admin, ownLab);

    expect(repair).toEqual([
      { item: `realm ${realm}`, action: 'unchanged' },
      { item: `user ${ownLab.user.username}`, action: 'updated', fields: ['enabled', 'requiredActions', 'password'] },
      { item: `client ${ownLab.client.id}`, action: 'updated', fields: ['publicClient', 'redirectUris'] },
      { item: `client scope ${ownLab.server.whoamiScope}`, action: 'unchanged' },
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
    expect(mapper).toMatchObject({ protocolMapper: 'oidc-audience-mapper', config: expect.objectContaining({ 'included.custom.audience': ownLab.server.resourceUrl, 'access.token.claim': 'true' }) });
    expect((await admin.clients.listOptionalClientScopes({ realm, id: client!.id! })).map(({ name }) => name)).toContain(ownLab.server.whoamiScope);
    expect((await admin.clients.listDefaultClientScopes({ realm, id: client!.id! })).map(({ name }) => name)).not.toContain(ownLab.server.whoamiScope);
    await admin.realms.del({ realm });
  });

  test('puts back a drifted audience, a removed mapper and a scope taken off the client', async ({ admin }) => {
    const ownLab = labWithOwnRealm();
    await provisionLab(admin, ownLab);
    const realm = ownLab.realm.name;
    const scope = await admin.clientScopes.findOneByName({ realm, name: ownLab.server.whoamiScope });
    const [client] = await admin.clients.find({ realm, clientId: ownLab.client.id });
    const [mapper] = await admin.clientScopes.listProtocolMappers({ realm, id: scope!.id! });
    await admin.clientScopes.updateProtocolMapper({ realm, id: scope!.id!, mapperId: mapper!.id! }, { ...mapper, config: { ...mapper!.config, 'included.custom.audience': 'http://elsewhere.example' } });
    await admin.clients.delOptionalClientScope({ realm, id: client!.id!, clientScopeId: scope!.id! });

    const drifted = await provisionLab(admin, ownLab);
    await admin.clientScopes.delProtocolMapper({ realm, id: scope!.id!, mapperId: mapper!.id! });
    const mapperRemoved = await provisionLab(admin, ownLab);

    expect(drifted[3]).toEqual({ item: `client scope ${ownLab.server.whoamiScope}`, action: 'updated', fields: ['audience mapper', `optional scope of ${ownLab.client.id}`] });
    expect(mapperRemoved[3]).toEqual({ item: `client scope ${ownLab.server.whoamiScope}`, action: 'updated', fields: ['audience mapper'] });
    expect((await provisionLab(admin, ownLab)).every(({ action }) => action === 'unchanged')).toBe(true);
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
    const starting = http.createServer((_request, response) => { response.writeHead(503).end('starting'); });
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
