/**
 * The OIDC tab's authorization server in Chinese: started with LAB_LOCALE=zh-CN, as `lab up` starts
 * it for a learner whose lab speaks Chinese, its sign-in page is Chinese to a Chinese browser, a
 * wrong password is refused in Chinese on the same page, and the right one signs in — with the
 * lab's own sign-in (lab/check/provider-login.ts), which finds the Chinese page's fields by their
 * Chinese labels. A browser asking for English gets English, as on Keycloak.
 */
import { discoverAuthorizationServerMetadata, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import { expect, test } from '@playwright/test';
import { withSettings } from '../../core/config.ts';
import { startAuthServerProcess } from '../../lab/providers/provider-process.ts';
import { LoginRefusedError, loginHeading, loginPages, signIn, signInAndCaptureCode } from '../support/provider-login.ts';
import { chineseOidcAuthServerPort, preRegisteredRedirectUris, providerLab, providerUsers } from '../support/provider-labs.ts';

const config = withSettings(providerLab('oidc'), { OIDC_PROVIDER_PORT: String(chineseOidcAuthServerPort) });
const { issuer, clientId, scope } = config.provider;
const redirectUri = config.client.testRedirectUri;

// One server for both tests, which take turns.
test.describe.configure({ mode: 'serial' });
let server: Awaited<ReturnType<typeof startAuthServerProcess>> | undefined;
test.beforeAll(async ({}, testInfo) => {
  server = await startAuthServerProcess({
    kind: 'oidc',
    issuer,
    port: chineseOidcAuthServerPort,
    users: [providerUsers.testuser],
    inspectorOrigins: [config.client.inspectorWebOrigin],
    clientId,
    redirectUris: preRegisteredRedirectUris(config),
    stateDir: testInfo.outputPath('state'),
    logPath: testInfo.outputPath('auth-server.log'),
    locale: 'zh-CN',
  });
});
test.afterAll(async () => {
  await server?.stop();
});

async function authorizationUrl(): Promise<string> {
  const metadata = await discoverAuthorizationServerMetadata(issuer);
  const started = await startAuthorization(issuer, {
    metadata,
    clientInformation: { client_id: clientId },
    redirectUrl: redirectUri,
    scope,
  });
  return started.authorizationUrl.href;
}

test.describe('a Chinese browser', () => {
  test.use({ locale: 'zh-CN' });

  test("the OIDC tab's server with LAB_LOCALE=zh-CN: a Chinese sign-in page, a wrong password refused in Chinese, the right one signs in", async ({
    page,
  }) => {
    const redirects: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(redirectUri)) redirects.push(request.url());
    });
    const wrong = { username: providerUsers.testuser.username, password: 'not-the-password' };

    const refused = signInAndCaptureCode(page, new URL(await authorizationUrl()), redirectUri, wrong, { provider: 'oidc' });

    await expect(refused).rejects.toThrow(LoginRefusedError);
    await expect(refused).rejects.toThrow('用户名或密码无效。');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page).toHaveTitle('登录 MCP Auth Lab');
    await expect(loginHeading(page, loginPages.oidc)).toHaveText('登录 MCP Auth Lab');
    await expect(page.getByRole('alert')).toHaveText('用户名或密码无效。');
    await expect(page.getByRole('textbox', { name: '用户名', exact: true })).toHaveValue(wrong.username);
    await expect(page.getByRole('textbox', { name: '密码', exact: true })).toBeEmpty();
    await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
    expect(redirects).toEqual([]);

    await signIn(page, providerUsers.testuser, { provider: 'oidc' });

    await expect.poll(() => redirects.map((url) => new URL(url).searchParams.has('code'))).toContain(true);
  });
});

test.describe('an English browser', () => {
  test.use({ locale: 'en-US' });

  test('the same server shows its pages in English (Accept-Language before the server language, as Keycloak)', async ({ page }) => {
    await page.goto(await authorizationUrl());

    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(loginHeading(page, loginPages.oidc)).toHaveText('Sign in to MCP Auth Lab');
  });
});
