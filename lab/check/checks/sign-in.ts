import { launchChromium, loginForAccessToken, tokenClaims } from '../browser-login.ts';
import { defineCheck, fail, firstLine, found, quote } from '../check.ts';
import { LoginRefusedError } from '../keycloak-login.ts';

/** Checkpoint 2's login: a real sign-in at Keycloak in a browser. Its line only when it fails. */
export const signIn = defineCheck({
  name: 'a user signs in at Keycloak',
  line: 'checkpoint 2',
  checkpoints: [2],
  needs: ['withoutToken', 'tokenRequired'],
  provides: { facts: ['login'], otherwise: 'no token' },
  async run({ facts, endpoints, options }) {
    const { config, credentials } = options;
    // Through the server's metadata when it is right (as a client finds Keycloak); else at the realm directly.
    const sseAsksForToken = 'status' in facts.withoutToken.sse && facts.withoutToken.sse.status === 401;
    const serverEndpoint = facts.metadataFindsKeycloak ? (sseAsksForToken ? endpoints.sse : endpoints['streamable-http']) : undefined;
    const browser = options.browser ?? (await launchChromium());
    try {
      const accessToken = await loginForAccessToken(browser, {
        serverEndpoint,
        issuer: config.realm.issuer,
        clientId: config.client.id,
        scope: config.client.scope,
        redirectUri: config.client.testRedirectUri,
        credentials,
      });
      return found({ login: { username: credentials.username, accessToken, claims: tokenClaims(accessToken) } });
    } catch (error) {
      if (error instanceof LoginRefusedError)
        return fail(`Keycloak refused ${credentials.username}'s sign-in: "${quote(error.message)}"`, 'login-refused');
      return fail(`the sign-in as ${credentials.username} did not complete: ${quote(firstLine((error as Error).message))}`, 'login-failed');
    } finally {
      if (!options.browser) await browser.close();
    }
  },
});
