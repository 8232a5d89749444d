/**
 * Checkpoint 2's login, as a learner does it and through the MCP SDK's OAuth client: headless
 * Chromium signs in at the tab's authorization server (Keycloak, or the lab's own OIDC or OAuth 2
 * server: `provider`), the SDK finishes the authorization-code + PKCE flow. Either the way a client
 * finds that server — from the MCP server's metadata (`auth()`) — or, when that metadata is broken,
 * at the issuer directly, so the rest of the checkpoint can still be checked.
 */
import {
  auth,
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { Browser } from 'playwright';
import { InMemoryOAuthClientProvider } from './in-memory-oauth-provider.ts';
import type { ProviderKind } from '../../core/config.ts';
import { signInAndCaptureCode, signInLocale, type Credentials } from './provider-login.ts';

export interface LoginOptions {
  /** The server's MCP endpoint, to find the authorization server through its metadata; omitted: `issuer` directly. */
  serverEndpoint?: URL;
  issuer: string;
  clientId: string;
  scope: string;
  redirectUri: string;
  credentials: Credentials;
  /** Whose login page the browser meets; Keycloak's unless told. */
  provider?: ProviderKind;
  /** False: no `resource` in the requests, as the tutorial's Inspector (the Logto tab's tutorial mode). */
  sendResource?: boolean;
}

export { launchChromium } from '../chromium.ts';

/** Signs in and returns the access token. `browser` is the caller's, so several logins can share one. */
export async function loginForAccessToken(browser: Browser, options: LoginOptions): Promise<string> {
  const context = await browser.newContext({ locale: signInLocale });
  try {
    const page = await context.newPage();
    if (options.serverEndpoint) {
      const provider = new InMemoryOAuthClientProvider({
        identity: { clientId: options.clientId },
        scope: options.scope,
        redirectUri: options.redirectUri,
        sendResource: options.sendResource,
      });
      if ((await auth(provider, { serverUrl: options.serverEndpoint })) !== 'REDIRECT' || !provider.authorizationUrl) {
        throw new Error('the MCP SDK did not start a login');
      }
      const code = await signInAndCaptureCode(page, provider.authorizationUrl, options.redirectUri, options.credentials, {
        provider: options.provider,
      });
      await auth(provider, { serverUrl: options.serverEndpoint, authorizationCode: code });
      const tokens = provider.tokens();
      if (!tokens) throw new Error('the MCP SDK got no token');
      return tokens.access_token;
    }
    const metadata = await discoverAuthorizationServerMetadata(options.issuer);
    if (!metadata) throw new Error(`no authorization server metadata at ${options.issuer}`);
    const clientInformation = { client_id: options.clientId };
    const { authorizationUrl, codeVerifier } = await startAuthorization(options.issuer, {
      metadata,
      clientInformation,
      redirectUrl: options.redirectUri,
      scope: options.scope,
    });
    const code = await signInAndCaptureCode(page, authorizationUrl, options.redirectUri, options.credentials, {
      provider: options.provider,
    });
    const tokens = await exchangeAuthorization(options.issuer, {
      metadata,
      clientInformation,
      authorizationCode: code,
      codeVerifier,
      redirectUri: options.redirectUri,
    });
    return tokens.access_token;
  } finally {
    await context.close();
  }
}
