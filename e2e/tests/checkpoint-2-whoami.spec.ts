import { expect, test } from '../support/fixtures.ts';
import { callWhoami, connectAfterLogin } from '../support/mcp-login.ts';
import { lab, servers, type Transport } from '../support/lab.ts';

const transports: Transport[] = ['sse', 'streamable-http'];

for (const { name, url: serverUrl, mode } of servers) {
  for (const transport of transports) {
    test.describe(`checkpoint 2 over ${transport}, ${name}`, () => {
      test('testuser logs in at Keycloak and whoami returns their claims', async ({ page, admin }) => {
        const { client, provider } = await connectAfterLogin(page, { transport, credentials: lab.user, serverUrl });

        const claims = await callWhoami(client);
        const [testuser] = await admin.users.find({ realm: lab.realm.name, username: lab.user.username, exact: true });
        expect(claims).toMatchObject({
          sub: testuser!.id,
          preferred_username: lab.user.username,
          email: lab.user.email,
          email_verified: true,
          name: `${lab.user.firstName} ${lab.user.lastName}`,
        });
        if (mode === 'spec') {
          // The SDK found Keycloak through the protected resource metadata, asked for the scope the
          // challenge named and for this server as `resource`; the token is bound to the server.
          expect(provider.authorizationUrl!.searchParams.get('scope')).toBe(lab.server.whoamiScope);
          expect(provider.authorizationUrl!.searchParams.get('resource')).toBe(serverUrl);
          expect([claims.aud].flat()).toContain(serverUrl);
          expect(String(claims.scope).split(' ')).toContain(lab.server.whoamiScope);
        }
        await client.close();
      });

      test("a second user gets their own claims, not testuser's", async ({ page, throwawayUser }) => {
        const { client } = await connectAfterLogin(page, { transport, credentials: throwawayUser, serverUrl });

        const claims = await callWhoami(client);
        expect(claims.sub).toBe(throwawayUser.id);
        expect(claims.preferred_username).toBe(throwawayUser.username);
        expect(claims.email).toBe(throwawayUser.email);
        await client.close();
      });
    });
  }
}
