import { t } from '../../../../core/messages.ts';
import { expectedClaims } from '../../access-tokens.ts';
import { launchChromium } from '../../browser-login.ts';
import { defineCheck, fail, firstLine, found, quote, type Outcome } from '../../check.ts';
import { LoginRefusedError, signInLocale } from '../../provider-login.ts';
import { BrowserAuthorization, signInThroughServer } from '../browser-authorization.ts';

/**
 * testuser signs in as a 2026-07-28 client makes them: the SDK 2.x client reads the 401's
 * challenge, finds Keycloak through the server's metadata and asks for a token bound to the
 * server (`resource`); Chromium fills Keycloak's login page. Its line only when it fails.
 */
export const signIn = defineCheck({
  name: "testuser signs in through the server's metadata",
  line: 'whoami',
  checkpoints: [2],
  needs: ['challenge', 'metadataFindsAuthServer'],
  provides: { facts: ['login'], otherwise: () => t('check.sign-in.no-token-for-server') },
  async run({ base, endpoints, facts: { challenge }, options }) {
    const { config, credentials } = options;
    const browser = options.browser ?? (await launchChromium());
    const context = await browser.newContext({ locale: signInLocale });
    const provider = new BrowserAuthorization({
      clientId: config.provider.clientId,
      redirectUri: config.client.testRedirectUri,
      page: await context.newPage(),
      credentials,
    });
    let accessToken: string;
    try {
      accessToken = await signInThroughServer(provider, endpoints['streamable-http'], challenge);
    } catch (error) {
      return signInFailure(error, credentials.username, resourceAsked(provider, base));
    } finally {
      await context.close();
      if (!options.browser) await browser.close();
    }
    let claims: Record<string, unknown>;
    try {
      claims = await expectedClaims(accessToken, config.provider);
    } catch (error) {
      const said = quote(firstLine((error as Error).message));
      return fail(() => t('check.sign-in.unreadable-token', { username: credentials.username, said }), 'login-failed');
    }
    const resource = resourceAsked(provider, base);
    const audience = [claims.aud ?? []].flat().map(String);
    if (!audience.includes(resource)) {
      const aud = quote(audience.join(', '), 120);
      return fail(
        () => t('check.sign-in.aud-elsewhere', { username: credentials.username, aud: aud || 'none', resource }),
        'realm-audience-elsewhere',
      );
    }
    return found({ login: { username: credentials.username, accessToken, claims } });
  },
});

/** The resource the SDK asked the token for (RFC 8707), from its authorization request; else the server's origin. */
function resourceAsked(provider: BrowserAuthorization, base: URL): string {
  return provider.authorizations[0]?.searchParams.get('resource') ?? base.origin;
}

/** Why a sign-in failed, in the terms of the one who signed in and the resource asked for. */
export function signInFailure(error: unknown, username: string, resource: string): Outcome {
  const message = firstLine((error as Error).message ?? String(error));
  const said = quote(message);
  if (error instanceof LoginRefusedError)
    return fail(() => t('check.sign-in.refused', { Name: 'Keycloak', username, said }), 'login-refused');
  // Keycloak with resource indicators (26.6+) knows one resource, the one the realm was provisioned
  // for: another is refused at the token endpoint (the SDK's OAuthError) or in the redirect.
  if ((error as { code?: unknown }).code === 'invalid_target' || /error=invalid_target/.test(message))
    return fail(() => t('check.sign-in.invalid-target', { resource, said }), 'realm-audience-elsewhere');
  return fail(() => t('check.sign-in.incomplete', { username, said }), 'login-failed');
}
