/**
 * LAB_CLIENT_REGISTRATION's profiles against the real Keycloak: `dynamic` (the client registers
 * itself) and `cimd` (its client ID is the URL of a metadata document the lab serves), each with
 * the real MCP Inspector — given nothing but the server's URL — and with the MCP SDK's client.
 * Each profile gets a realm and a whoami server of its own.
 */
import path from 'node:path';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { expect, test } from '../support/fixtures.ts';
import { InMemoryOAuthClientProvider } from '../support/in-memory-oauth-provider.ts';
import { InspectorPage, walkthroughDir } from '../support/inspector-page.ts';
import { lab, mcpEndpoint } from '../support/lab.ts';
import { callWhoami, connectAfterLogin } from '../support/mcp-login.ts';
import { freshAdmin, startRealmLab, type RealmLab } from '../support/realm-lab.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';
import { testPorts } from '../support/test-ports.ts';
import { sdkClientDocumentUrl } from '../support/cimd-documents.ts';
import { listRegisteredClients, registeredBy } from '../../provisioning/registered-clients.ts';

/** Whether this run's Keycloak was started with the `cimd` feature (26.6+, see global-setup). */
const cimdAvailable = lab.keycloakFeatures.includes('cimd');

// One Inspector port and one server port: these tests take turns.
test.describe.configure({ mode: 'default' });
test.use({ viewport: { width: 1280, height: 800 } });

test.describe('LAB_CLIENT_REGISTRATION=dynamic', () => {
  let realmLab: RealmLab;

  test.beforeAll(async () => {
    realmLab = await startRealmLab({ prefix: 'dynamic', registration: 'dynamic', mode: 'spec', port: testPorts.profileWhoami });
  });
  test.afterAll(async () => {
    await realmLab?.stop();
  });

  test('the Inspector, given only the server URL, registers itself, testuser signs in and whoami answers', async ({ page, inspector }) => {
    const transport = 'streamable-http';
    const inspectorPage = new InspectorPage(page, {
      checkpoint: "Today's Keycloak",
      screenshotDir: path.join(walkthroughDir, `dynamic-${transport}`),
      issuer: realmLab.config.realm.issuer,
    });

    await inspectorPage.open(inspector.url);
    await inspectorPage.addServer({ serverId: 'whoami', transport, url: mcpEndpoint(realmLab.server.url, transport).href });
    await inspectorPage.connect('whoami');
    await inspectorPage.signIn(lab.user);
    await inspectorPage.grantConsent('MCP Inspector');
    await inspectorPage.expectBackAuthorized('whoami');
    const result = await inspectorPage.runWhoami();

    const admin = await freshAdmin();
    const [testuser] = await admin.users.find({ realm: realmLab.config.realm.name, username: lab.user.username, exact: true });
    const [registered] = await listRegisteredClients(admin, realmLab.config.realm.name);
    // Spec mode: whoami shows the token's claims — testuser, the client the Inspector registered,
    // and the server as audience.
    await expect(result).toContainText(`"sub": "${testuser!.id}"`);
    await expect(result).toContainText(`"azp": "${registered!.clientId}"`);
    await expect(result).toContainText(`"aud": "${realmLab.server.url}"`);
    expect(registered).toMatchObject({
      name: 'MCP Inspector',
      publicClient: true,
      consentRequired: true,
      redirectUris: [lab.client.inspectorRedirectUri],
    });
    await inspectorPage.disconnect();
  });

  test('the MCP SDK client registers itself too, and whoami answers', async ({ page }) => {
    const { client, provider } = await connectAfterLogin(page, {
      transport: 'streamable-http',
      credentials: lab.user,
      serverUrl: realmLab.server.url,
      identity: { dynamic: true },
    });

    const claims = await callWhoami(client);
    const clientId = provider.clientInformation()!.client_id;
    const admin = await freshAdmin();
    const [testuser] = await admin.users.find({ realm: realmLab.config.realm.name, username: lab.user.username, exact: true });
    const [registered] = await admin.clients.find({ realm: realmLab.config.realm.name, clientId });
    expect(registered && registeredBy(registered)).toBe('dynamic registration');
    expect(claims).toMatchObject({ sub: testuser!.id, azp: clientId, scope: expect.stringContaining(lab.server.whoamiScope) });
    expect([claims.aud].flat()).toContain(realmLab.server.url);
    await client.close();
  });

  test('`lab reset` removes the clients that registered themselves; `lab teardown` the realm with the rest', async () => {
    const admin = await freshAdmin();
    const realm = realmLab.config.realm.name;
    await registerClient(realmLab, 'first');
    await registerClient(realmLab, 'second');
    const registered = await listRegisteredClients(admin, realm);
    expect(registered.length, 'this test registered two clients, the tests before it maybe more').toBeGreaterThanOrEqual(2);

    const reset = await runLab(['reset'], realmLab.env);

    expect(reset.exitCode, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`✓ ${registered.length} registered clients removed`);
    expect(await listRegisteredClients(admin, realm)).toEqual([]);
    expect((await admin.clients.find({ realm, clientId: lab.client.id })).length, "the tutorial's client stays").toBe(1);

    await registerClient(realmLab, 'third');
    const teardown = await runLab(['teardown'], realmLab.env);

    expect(teardown.exitCode, teardown.stderr).toBe(0);
    expect(teardown.stdout).toContain(`Realm ${realm} removed (with 1 client that registered itself).`);
    expect(await admin.realms.findOne({ realm }), `realm ${realm} is gone`).toBeFalsy();
  });
});

if (cimdAvailable) {
  test.describe('LAB_CLIENT_REGISTRATION=cimd', () => {
    let realmLab: RealmLab;

    test.beforeAll(async () => {
      realmLab = await startRealmLab({ prefix: 'cimd', registration: 'cimd', mode: 'spec', port: testPorts.profileWhoami });
    });
    test.afterAll(async () => {
      await realmLab?.stop();
    });

    test("the Inspector uses the lab's client ID metadata document: Keycloak fetches it, testuser signs in, whoami answers", async ({
      page,
      inspector,
    }) => {
      const transport = 'streamable-http';
      const documentUrl = realmLab.config.cimd.inspectorDocumentUrl;
      const inspectorPage = new InspectorPage(page, {
        checkpoint: 'Client ID metadata document',
        screenshotDir: path.join(walkthroughDir, `cimd-${transport}`),
        issuer: realmLab.config.realm.issuer,
      });

      await inspectorPage.open(inspector.url);
      await inspectorPage.useClientIdMetadataDocument(documentUrl);
      await inspectorPage.addServer({ serverId: 'whoami', transport, url: mcpEndpoint(realmLab.server.url, transport).href });
      await inspectorPage.connect('whoami');
      await expect(page, "the Inspector sends the document's URL as its client ID").toHaveURL(
        (url) => url.searchParams.get('client_id') === documentUrl,
      );
      await inspectorPage.signIn(lab.user);
      await inspectorPage.grantConsent('MCP Inspector (MCP Auth Lab)');
      await inspectorPage.expectBackAuthorized('whoami');
      const result = await inspectorPage.runWhoami();

      await expect(result).toContainText(`"azp": "${documentUrl}"`);
      await expect(result).toContainText(`"aud": "${realmLab.server.url}"`);
      const [stored] = await (await freshAdmin()).clients.find({ realm: realmLab.config.realm.name, clientId: documentUrl });
      expect(stored && registeredBy(stored)).toBe('metadata document');
      await inspectorPage.disconnect();
    });

    test('an http document URL: the Inspector sends it, the lab\'s https-only policy makes it "Client not found."; the MCP SDK refuses it first', async ({
      page,
      inspector,
    }) => {
      // Keycloak could take http documents ("allow http scheme", for development); the lab's policy
      // does not. The Inspector's web UI takes http on localhost; the MCP SDK's auth() does not.
      const httpUrl = realmLab.config.cimd.inspectorDocumentUrl.replace('https:', 'http:');
      const inspectorPage = new InspectorPage(page, {
        checkpoint: 'Client ID metadata document over http',
        issuer: realmLab.config.realm.issuer,
      });
      const endpoint = mcpEndpoint(realmLab.server.url, 'streamable-http');

      await inspectorPage.open(inspector.url);
      await inspectorPage.useClientIdMetadataDocument(httpUrl);
      await inspectorPage.addServer({ serverId: 'whoami', transport: 'streamable-http', url: endpoint.href });
      await inspectorPage.connect('whoami');

      await expect(page).toHaveURL((url) => url.searchParams.get('client_id') === httpUrl);
      await expect(page.getByText('Client not found.')).toBeVisible();
      const provider = new InMemoryOAuthClientProvider({
        identity: { clientMetadataUrl: httpUrl },
        scope: lab.client.scope,
        redirectUri: lab.client.testRedirectUri,
      });
      await expect(auth(provider, { serverUrl: endpoint })).rejects.toThrow(
        `clientMetadataUrl must be a valid HTTPS URL with a non-root pathname, got: ${httpUrl}`,
      );
    });

    test('the MCP SDK client uses a document of its own (clientMetadataUrl), and whoami answers', async ({ page }) => {
      const documentUrl = sdkClientDocumentUrl(realmLab.config);
      const { client, provider } = await connectAfterLogin(page, {
        transport: 'streamable-http',
        credentials: lab.user,
        serverUrl: realmLab.server.url,
        identity: { clientMetadataUrl: documentUrl },
        consent: true,
      });

      const claims = await callWhoami(client);
      expect(provider.clientInformation()!.client_id).toBe(documentUrl);
      expect(claims.azp).toBe(documentUrl);
      expect([claims.aud].flat()).toContain(realmLab.server.url);
      await client.close();
    });
  });
} else {
  test.describe('LAB_CLIENT_REGISTRATION=cimd on a Keycloak without the feature', () => {
    test(`is refused in one line naming the version needed (Keycloak ${lab.keycloakVersion})`, async () => {
      const result = await runLab(['provision'], { KEYCLOAK_REALM: 'cimd-refused', LAB_CLIENT_REGISTRATION: 'cimd' });

      expect(result.exitCode).toBe(1);
      expect(isOneLineError(result.stderr), result.stderr).toBe(true);
      expect(result.stderr).toContain(
        `LAB_CLIENT_REGISTRATION=cimd needs Keycloak 26.6 or newer started with --features=cimd; this is Keycloak ${lab.keycloakVersion}`,
      );
      // Refused before anything was created.
      expect(await (await freshAdmin()).realms.findOne({ realm: 'cimd-refused' }), 'realm cimd-refused was not created').toBeFalsy();
    });
  });
}

test('`lab up` refuses a profile the chosen Keycloak cannot do, in one line, before starting anything', async () => {
  const result = await runLab(['up'], {
    KEYCLOAK_VERSION: '26.5.6',
    LAB_CLIENT_REGISTRATION: 'cimd',
    KEYCLOAK_PORT: String(lab.keycloak.port + 100),
    KEYCLOAK_URL: '',
  });

  expect(result.exitCode).toBe(1);
  expect(isOneLineError(result.stderr), result.stderr).toBe(true);
  expect(result.stderr).toContain(
    'LAB_CLIENT_REGISTRATION=cimd needs Keycloak 26.6 or newer started with --features=cimd; this is Keycloak 26.5.6',
  );
  expect(result.stdout).toBe('');
});

/** A registration as an MCP client sends it, anonymously, to the realm's registration endpoint. */
async function registerClient(realmLab: RealmLab, name: string): Promise<void> {
  const response = await fetch(`${realmLab.config.realm.issuer}/clients-registrations/openid-connect`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_name: name,
      redirect_uris: [lab.client.testRedirectUri],
      token_endpoint_auth_method: 'none',
      scope: lab.client.scope,
    }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
}
