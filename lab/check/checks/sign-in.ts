import { t } from '../../../core/messages.ts';
import { expectedClaims } from '../access-tokens.ts';
import { launchChromium, loginForAccessToken } from '../browser-login.ts';
import { defineCheck, fail, firstLine, found, quote } from '../check.ts';
import { capitalised, providerName, tNamed } from '../diagnoses.ts';
import { LoginRefusedError } from '../provider-login.ts';

/**
 * Checkpoint 2's login: a real sign-in in a browser at the tab's authorization server, with its
 * client and scope, then the claims whoami should return. Its line only when it fails.
 */
export const signIn = defineCheck({
  name: 'a user signs in at the authorization server',
  line: 'checkpoint 2',
  checkpoints: [2],
  needs: ['withoutToken', 'tokenRequired'],
  provides: { facts: ['login'], otherwise: () => t('check.sign-in.no-token') },
  async run({ facts, endpoints, options }) {
    const { config, credentials } = options;
    const tab = config.provider;
    // Through the server's metadata when it is right (as a client finds the server); else at the issuer directly.
    const sseAsksForToken = 'status' in facts.withoutToken.sse && facts.withoutToken.sse.status === 401;
    const serverEndpoint = facts.metadataFindsAuthServer ? (sseAsksForToken ? endpoints.sse : endpoints['streamable-http']) : undefined;
    const browser = options.browser ?? (await launchChromium());
    let accessToken: string;
    try {
      accessToken = await loginForAccessToken(browser, {
        serverEndpoint,
        issuer: tab.issuer,
        clientId: tab.clientId,
        scope: tab.scope,
        redirectUri: config.client.testRedirectUri,
        credentials,
        provider: tab.kind,
        // Logto refuses a `resource` it does not know (and the tutorial's userinfo check refuses
        // the JWT it issues for one it knows): the tutorial's own Inspector sent none.
        sendResource: !(tab.kind === 'logto' && config.server.mode === 'tutorial'),
      });
    } catch (error) {
      const said = quote(error instanceof LoginRefusedError ? error.message : firstLine((error as Error).message));
      if (error instanceof LoginRefusedError)
        return fail(
          () => tNamed('check.sign-in.refused', { Name: capitalised(providerName(tab)), username: credentials.username, said }),
          'login-refused',
        );
      return fail(() => t('check.sign-in.incomplete', { username: credentials.username, said }), 'login-failed');
    } finally {
      if (!options.browser) await browser.close();
    }
    try {
      const claims = await expectedClaims(accessToken, tab);
      return found({ login: { username: credentials.username, accessToken, claims } });
    } catch (error) {
      const said = quote(firstLine((error as Error).message));
      return fail(
        () => tNamed('check.sign-in.whose-token', { username: credentials.username, name: providerName(tab), said }),
        'login-failed',
      );
    }
  },
});
