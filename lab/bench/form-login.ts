import { discoverAuthorizationServerMetadata, exchangeAuthorization, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export interface FormLoginOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  resource?: string;
  username: string;
  password: string;
}

/**
 * The authorization-code + PKCE flow through Keycloak's real login form, without a browser: GET
 * the login page, POST the credentials with its cookies, read the code from the redirect. For
 * load (a hundred logins at once); the e2e tests log in with a real browser instead. The SDK
 * builds the request and exchanges the code.
 */
export async function loginThroughForm(options: FormLoginOptions, metadata?: AuthorizationServerMetadata): Promise<OAuthTokens> {
  const serverMetadata = metadata ?? (await discoverAuthorizationServerMetadata(options.issuer));
  if (!serverMetadata) throw new Error(`No authorization server metadata at ${options.issuer}`);
  const clientInformation = { client_id: options.clientId };
  const resource = options.resource ? new URL(options.resource) : undefined;
  const { authorizationUrl, codeVerifier } = await startAuthorization(options.issuer, {
    metadata: serverMetadata,
    clientInformation,
    redirectUrl: options.redirectUri,
    scope: options.scope,
    resource,
  });

  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const separator = pair.indexOf('=');
      if (separator > 0) cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

  const loginPage = await fetch(authorizationUrl, { redirect: 'manual' });
  remember(loginPage);
  const html = await loginPage.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`No login form at ${authorizationUrl.origin}${authorizationUrl.pathname} (HTTP ${loginPage.status})`);

  const submitted = await fetch(action.replaceAll('&amp;', '&'), {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: cookieHeader(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: options.username, password: options.password, credentialId: '' }),
  });
  const location = submitted.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (submitted.status !== 302 || !code) throw new Error(`Login of ${options.username} was refused (HTTP ${submitted.status})`);

  return exchangeAuthorization(options.issuer, {
    metadata: serverMetadata,
    clientInformation,
    authorizationCode: code,
    codeVerifier,
    redirectUri: options.redirectUri,
    resource,
  });
}
