/**
 * The lab's own authorization servers, as the tutorial's "OIDC" and "OAuth 2" tabs need them: the
 * metadata each tab's code fetches, dynamic registration as the Inspector does it (and CORS for a
 * page that registers itself), the sign-in page refusing a wrong password, the identity endpoint
 * each tab's verifyToken calls, and registered clients kept across a restart.
 */
import { discoverAuthorizationServerMetadata, exchangeAuthorization, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Page } from '@playwright/test';
import { fetchServerConfig } from 'mcp-auth';
import { expect, test } from '@playwright/test';
import { withSettings, type LabConfig } from '../../core/config.ts';
import { startAuthServerProcess } from '../../lab/providers/provider-process.ts';
import { LoginRefusedError, loginPages, signIn, signInAndCaptureCode, type Credentials } from '../support/provider-login.ts';
import { authServerKinds, preRegisteredRedirectUris, providerLab, providerUsers, tabNames } from '../support/provider-labs.ts';
import { testPorts } from '../support/test-ports.ts';

/**
 * What Inspector 2.12.0 registers (its `clientMetadata`, clients/web), with its redirect URI on the
 * tests' Inspector port. `scope` is empty when nothing told it one; oidc-provider alone would refuse
 * that ("scope must be a non-empty string if provided").
 */
function inspectorRegistration(config: LabConfig) {
  return {
    redirect_uris: [config.client.inspectorRedirectUri],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    client_name: 'MCP Inspector',
    client_uri: 'https://github.com/modelcontextprotocol/inspector',
    scope: '',
    application_type: 'native',
  };
}

const restartPorts = { oidc: testPorts.restartedOidcAuthServer, oauth: testPorts.restartedOauthAuthServer } as const;

for (const kind of authServerKinds) {
  const config = providerLab(kind);
  const { issuer, scope } = config.provider;
  const inspectorOrigin = config.client.inspectorWebOrigin;

  test.describe(`the ${tabNames[kind]} tab's authorization server (${issuer})`, () => {
    if (kind === 'oidc') {
      test('publishes OpenID discovery with userinfo, and the same document as RFC 8414 metadata', async ({ request }) => {
        const response = await request.get(`${issuer}/.well-known/openid-configuration`);

        expect(response.status()).toBe(200);
        const metadata = await response.json();
        expect(metadata).toMatchObject({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          registration_endpoint: `${issuer}/reg`,
          userinfo_endpoint: `${issuer}/me`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: expect.arrayContaining(['openid', 'profile', 'email']),
          token_endpoint_auth_methods_supported: expect.arrayContaining(['none']),
        });
        expect(await (await request.get(`${issuer}/.well-known/oauth-authorization-server`)).json()).toEqual(metadata);
        // The tab's code: `fetchServerConfig(issuer, { type: 'oidc' })`, the Keycloak tab's with another issuer.
        const { metadata: fetched } = await fetchServerConfig(issuer, { type: 'oidc' });
        expect(fetched.userinfoEndpoint).toBe(`${issuer}/me`);
      });
    } else {
      test('publishes RFC 8414 metadata only: no OpenID discovery, no userinfo, no `openid` scope', async ({ request }) => {
        const response = await request.get(`${issuer}/.well-known/oauth-authorization-server`);

        expect(response.status()).toBe(200);
        const metadata = await response.json();
        expect(metadata).toMatchObject({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          registration_endpoint: `${issuer}/reg`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: expect.arrayContaining(['none']),
        });
        expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['profile']));
        expect(metadata.scopes_supported).not.toContain('openid');
        for (const openIdOnly of [
          'userinfo_endpoint',
          'claims_supported',
          'subject_types_supported',
          'id_token_signing_alg_values_supported',
        ]) {
          expect(metadata, `${openIdOnly} is OpenID Connect Discovery's`).not.toHaveProperty(openIdOnly);
        }
        expect((await request.get(`${issuer}/.well-known/openid-configuration`)).status()).toBe(404);
        expect((await request.get(`${issuer}/me`)).status()).toBe(404);
        // The tab's code: `fetchServerConfig(issuer, { type: 'oauth' })`; the OIDC tab's `type: 'oidc'` fails at start.
        const { metadata: fetched } = await fetchServerConfig(issuer, { type: 'oauth' });
        expect(fetched.issuer).toBe(issuer);
        await expect(fetchServerConfig(issuer, { type: 'oidc' })).rejects.toThrow(/openid-configuration/);
      });

      test('refuses the scope `openid` at the authorization endpoint', async ({ request }) => {
        const response = await request.get(
          `${issuer}/auth?${new URLSearchParams({ client_id: config.provider.clientId, scope: 'openid profile' })}`,
        );

        expect(response.status()).toBe(400);
        expect(await response.text()).toContain('does not do OpenID Connect');
      });
    }

    test('registers a client with the Inspector\'s exact body (`scope: ""`), from its backend or from a page at the Inspector\'s origin', async ({
      request,
    }) => {
      const body = inspectorRegistration(config);

      // Inspector 2.12.0 registers from its Node backend: no Origin.
      const fromBackend = await request.post(`${issuer}/reg`, { data: body });

      expect(fromBackend.status(), await fromBackend.text()).toBe(201);
      expect(await fromBackend.json()).toMatchObject({
        client_id: expect.any(String),
        client_name: 'MCP Inspector',
        redirect_uris: [config.client.inspectorRedirectUri],
        token_endpoint_auth_method: 'none',
        application_type: 'native',
      });
      const fromPage = await request.post(`${issuer}/reg`, { data: body, headers: { Origin: inspectorOrigin } });
      expect(fromPage.status()).toBe(201);
      expect(fromPage.headers()['access-control-allow-origin']).toBe(inspectorOrigin);
    });

    test("answers registration's CORS preflight for the Inspector's origin only", async ({ request }) => {
      const preflight = (origin: string) =>
        request.fetch(`${issuer}/reg`, {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
        });

      const inspector = await preflight(inspectorOrigin);
      const stranger = await preflight('http://localhost:9999');

      expect(inspector.status()).toBe(204);
      expect(inspector.headers()).toMatchObject({
        'access-control-allow-origin': inspectorOrigin,
        'access-control-allow-methods': expect.stringContaining('POST'),
        'access-control-allow-headers': expect.stringContaining('content-type'),
      });
      expect(stranger.headers()['access-control-allow-origin']).toBeUndefined();
    });

    test('a wrong password stays on the sign-in page with its refusal, and sends no code', async ({ page }) => {
      const { authorizationUrl } = await authorizationRequest(config, config.provider.clientId);
      const credentials = { username: providerUsers.testuser.username, password: 'not-the-password' };
      // Seen as requests: the redirect is followed inside the browser, where no route sees it.
      const redirects: string[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(config.client.testRedirectUri)) redirects.push(request.url());
      });

      const refused = signInAndCaptureCode(page, authorizationUrl, config.client.testRedirectUri, credentials, { provider: kind });

      await expect(refused).rejects.toThrow(LoginRefusedError);
      await expect(refused).rejects.toThrow('Invalid username or password.');
      await expect(page.getByRole('heading', { name: loginPages[kind].heading })).toBeVisible();
      await expect(page.getByRole('textbox', { name: 'Username' })).toHaveValue(credentials.username);
      await expect(page.getByRole('textbox', { name: 'Password' })).toBeEmpty();
      expect(redirects).toEqual([]);
      // Then the right password, on the same page, signs in.
      await signIn(page, providerUsers.testuser, { provider: kind });
      await expect.poll(() => redirects.map((url) => new URL(url).searchParams.has('code'))).toContain(true);
    });

    const identityEndpoint = kind === 'oidc' ? `${issuer}/me` : config.provider.userEndpoint!;
    test(`${new URL(identityEndpoint).pathname} answers a token it issued with the user, and a bad token with 401`, async ({
      page,
      request,
    }) => {
      const accessToken = await signInForAccessToken(page, config, config.provider.clientId, providerUsers.testuser);

      const good = await request.get(identityEndpoint, { headers: { Authorization: `Bearer ${accessToken}` } });
      const bad = await request.get(identityEndpoint, { headers: { Authorization: 'Bearer not-a-real-token' } });

      expect(good.status()).toBe(200);
      expect((await good.json()).sub).toBe(providerUsers.testuser.sub);
      expect(bad.status()).toBe(401);
      expect(bad.headers()['www-authenticate']).toMatch(/^Bearer\b.*error="invalid_token"/);
    });

    test('a registered client survives a restart with the same state folder: its user signs in again', async ({ page }, testInfo) => {
      // A server of the test's own, so that stopping it stops nobody else's.
      const ownConfig = withSettings(config, {
        [kind === 'oidc' ? 'OIDC_PROVIDER_PORT' : 'OAUTH_PROVIDER_PORT']: String(restartPorts[kind]),
      });
      const { issuer: ownIssuer, port } = ownConfig.provider;
      const start = (run: number) =>
        startAuthServerProcess({
          kind,
          issuer: ownIssuer,
          port: port!,
          users: [providerUsers.testuser],
          inspectorOrigins: [inspectorOrigin],
          clientId: config.provider.clientId,
          redirectUris: preRegisteredRedirectUris(config),
          stateDir: testInfo.outputPath('state'),
          logPath: testInfo.outputPath(`auth-server-${run}.log`),
        });
      let server = await start(1);
      try {
        const registered = await fetch(`${ownIssuer}/reg`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ...inspectorRegistration(config), redirect_uris: [config.client.testRedirectUri] }),
        });
        expect(registered.status).toBe(201);
        const { client_id: clientId } = (await registered.json()) as { client_id: string };
        await server.stop();

        server = await start(2);

        const accessToken = await signInForAccessToken(page, ownConfig, clientId, providerUsers.testuser, { consent: true });
        expect(accessToken).toBeTruthy();
      } finally {
        await server.stop();
      }
    });
  });

  /** The authorization-code + PKCE request the MCP SDK builds for `clientId`, from the server's metadata. */
  async function authorizationRequest(
    labConfig: LabConfig,
    clientId: string,
  ): Promise<{ authorizationUrl: URL; codeVerifier: string; metadata: AuthorizationServerMetadata }> {
    const metadata = await discoverAuthorizationServerMetadata(labConfig.provider.issuer);
    if (!metadata) throw new Error(`no authorization server metadata at ${labConfig.provider.issuer}`);
    const { authorizationUrl, codeVerifier } = await startAuthorization(labConfig.provider.issuer, {
      metadata,
      clientInformation: { client_id: clientId },
      redirectUrl: labConfig.client.testRedirectUri,
      scope,
    });
    return { authorizationUrl, codeVerifier, metadata };
  }

  /** Signs `credentials` in through the provider's pages and exchanges the code: the access token. */
  async function signInForAccessToken(
    page: Page,
    labConfig: LabConfig,
    clientId: string,
    credentials: Credentials,
    { consent = false } = {},
  ): Promise<string> {
    const { authorizationUrl, codeVerifier, metadata } = await authorizationRequest(labConfig, clientId);
    const redirectUri = labConfig.client.testRedirectUri;
    const authorizationCode = await signInAndCaptureCode(page, authorizationUrl, redirectUri, credentials, { provider: kind, consent });
    const tokens = await exchangeAuthorization(labConfig.provider.issuer, {
      metadata,
      clientInformation: { client_id: clientId },
      authorizationCode,
      codeVerifier,
      redirectUri,
    });
    return tokens.access_token;
  }
}
