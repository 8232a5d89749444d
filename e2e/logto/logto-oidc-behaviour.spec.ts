/**
 * What the lab relies on in Logto's OpenID Provider, pinned. The lab builds Logto with upstream
 * oidc-provider 9.11.3 in place of Logto's own fork (its README lists what the fork adds: per-client
 * interaction cookies, looser redirect-URI rules, scope fixes); if a different oidc-provider ever
 * changes any of this, a test here turns red instead of a learner getting confused.
 */
import { discoverAuthorizationServerMetadata, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import { expect, test, type Page } from '@playwright/test';
import { isJwt, tokenClaims } from '../../lab/check/access-tokens.ts';
import { signInAndCaptureCode } from '../support/provider-login.ts';
import { logtoAppId, logtoLab, logtoServerLab, logtoUsers } from '../support/logto-lab.ts';

const lab = logtoLab();
const issuer = lab.provider.issuer;

test('discovery: the issuer below /oidc, userinfo, code flow with S256 only, and nothing at the origin', async ({ request }) => {
  const discovery = await request.get(`${issuer}/.well-known/openid-configuration`);
  const origin = await request.get(`${lab.logto.url}/.well-known/openid-configuration`);

  expect(discovery.status()).toBe(200);
  expect(await discovery.json()).toMatchObject({
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/me`,
    code_challenge_methods_supported: ['S256'],
    response_types_supported: expect.arrayContaining(['code']),
    authorization_response_iss_parameter_supported: true,
  });
  // The "issuer without /oidc" mistake.
  expect(origin.status()).toBe(404);
});

test('without resource: an opaque token, and userinfo answers with the profile and email', async ({ page, request }) => {
  const { tokens } = await signInFor(page, { scope: lab.provider.scope });

  expect(isJwt(tokens.access_token)).toBe(false);
  expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
  const userinfo = await request.get(`${issuer}/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(userinfo.status()).toBe(200);
  expect(await userinfo.json()).toMatchObject({ username: 'testuser', email: logtoUsers.testuser.email });
});

test('without openid: userinfo refuses the token with insufficient_scope', async ({ page, request }) => {
  const { tokens } = await signInFor(page, { scope: 'profile email' });

  const userinfo = await request.get(`${issuer}/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(userinfo.status()).toBe(403);
  expect(userinfo.headers()['www-authenticate']).toContain('insufficient_scope');
});

test('an unknown resource is refused before the sign-in page: invalid_target at the redirect URI', async ({ page }) => {
  const unknown = logtoServerLab('node').server.resourceUrl;

  const refused = signInFor(page, { scope: lab.provider.scope, resource: unknown });

  await expect(refused).rejects.toThrow(/error=invalid_target: resource indicator is missing, or unknown/);
});

test("the resource must be the API resource's identifier exactly: with a trailing slash it is unknown", async ({ page }) => {
  const spec = logtoServerLab('spec');

  const refused = signInFor(page, { scope: spec.server.whoamiScope, resource: `${spec.server.resourceUrl}/` });

  await expect(refused).rejects.toThrow(/error=invalid_target/);
});

test('a registered resource: a JWT for the server with the permission, which userinfo refuses', async ({ page, request }) => {
  const spec = logtoServerLab('spec');

  const { tokens } = await signInFor(page, {
    scope: `${lab.provider.scope} ${spec.server.whoamiScope}`,
    resource: spec.server.resourceUrl,
  });

  expect(isJwt(tokens.access_token)).toBe(true);
  expect(tokenClaims(tokens.access_token)).toMatchObject({
    iss: issuer,
    aud: spec.server.resourceUrl,
    client_id: logtoAppId(),
    scope: spec.server.whoamiScope,
  });
  const userinfo = await request.get(`${issuer}/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(userinfo.status()).toBe(401);
});

test('a redirect URI the application does not have is refused on a page of its own, never redirected to', async ({ page }) => {
  const metadata = await discoverAuthorizationServerMetadata(issuer);
  const { authorizationUrl } = await startAuthorization(issuer, {
    metadata,
    clientInformation: { client_id: logtoAppId() },
    redirectUrl: 'http://localhost:6399/not-registered',
    scope: lab.provider.scope,
  });
  const toUnregistered: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith('http://localhost:6399')) toUnregistered.push(request.url());
  });
  const response = await page.goto(authorizationUrl.href);

  expect(response?.status()).toBe(400);
  await expect(page.getByText(/redirect_uri did not match any of the client's registered redirect_uris/)).toBeVisible();
  expect(toUnregistered).toEqual([]);
});

test('an unknown client is refused: invalid_client', async ({ request }) => {
  const response = await request.get(`${issuer}/auth`, {
    params: { client_id: 'no-such-app', response_type: 'code', redirect_uri: lab.client.testRedirectUri, scope: 'openid' },
    maxRedirects: 0,
  });

  expect(response.status()).toBe(400);
  expect(await response.text()).toContain('invalid_client');
});

test("the token endpoint's CORS: the Inspector's origin (its callback is registered) yes, another origin no", async ({ request }) => {
  const token = (origin: string) =>
    request.post(`${issuer}/token`, {
      headers: { Origin: origin },
      form: {
        grant_type: 'authorization_code',
        client_id: logtoAppId(),
        code: 'none',
        redirect_uri: lab.client.inspectorRedirectUri,
        code_verifier: 'x'.repeat(43),
      },
    });

  const inspector = await token(lab.client.inspectorWebOrigin);
  const other = await token('http://evil.example');

  expect(inspector.headers()['access-control-allow-origin']).toBe(lab.client.inspectorWebOrigin);
  expect(other.headers()['access-control-allow-origin']).toBeUndefined();
  expect(await other.text()).toContain('not allowed for client');
});

/**
 * An authorization-code + PKCE flow with the App ID, as the MCP SDK's client makes it; testuser
 * signs in. `resource` goes into both requests exactly as given (the SDK's helpers take a URL,
 * which gives an origin a trailing slash: another resource to Logto), so the token request is
 * made here, as RFC 6749 §4.1.3 and RFC 8707 §2.2 write it.
 */
async function signInFor(page: Page, { scope, resource }: { scope: string; resource?: string }) {
  const metadata = await discoverAuthorizationServerMetadata(issuer);
  const clientId = logtoAppId();
  const redirectUri = lab.client.testRedirectUri;
  const { authorizationUrl, codeVerifier } = await startAuthorization(issuer, {
    metadata,
    clientInformation: { client_id: clientId },
    redirectUrl: redirectUri,
    scope,
  });
  if (resource) authorizationUrl.searchParams.set('resource', resource);
  const code = await signInAndCaptureCode(page, authorizationUrl, redirectUri, logtoUsers.testuser, { provider: 'logto' });
  const response = await fetch(metadata!.token_endpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: codeVerifier,
      ...(resource ? { resource } : {}),
    }),
  });
  expect(response.status, 'the token request').toBe(200);
  return { tokens: (await response.json()) as { access_token: string; scope?: string } };
}
