/**
 * Provisioning Logto through its Management API, as `lab up` does for the Logto tab: a second run
 * changes nothing, and what a learner changed in the Console (the redirect URIs, a password) is put
 * back. Global setup provisioned first. The other specs sign in with the tier's application and
 * testuser meanwhile, so the changes are made to an application and a user of this test's own
 * (provisioning finds the application by LOGTO_APP_ID), deleted afterwards. LAB_LOCALE=zh-CN
 * changes the sign-in experience's language, which the tenant has once: these tests take turns.
 */
import { randomBytes } from 'node:crypto';
import { discoverAuthorizationServerMetadata, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import { expect, test, type BrowserContext } from '@playwright/test';
import { withSettings } from '../../core/config.ts';
import type { Change } from '../../provisioning/change.ts';
import { connectLogtoManagement } from '../../provisioning/logto-management.ts';
import { provisionLogto } from '../../provisioning/logto-provision.ts';
import { logtoAppId, logtoDbUrl, logtoLab, logtoUsers } from '../support/logto-lab.ts';

// One sign-in experience per tenant: a test that changes its language must not meet another's provisioning.
test.describe.configure({ mode: 'default' });

test('provisioning again changes nothing and keeps the App ID', async () => {
  const { appId, changes } = await provisionLogto(logtoLab(), { dbUrl: logtoDbUrl(), users: Object.values(logtoUsers) });

  expect(appId).toBe(logtoAppId());
  expect(changes.filter(({ action }) => action !== 'unchanged')).toEqual([]);
  expect(changes.map(({ item }) => item)).toEqual(expect.arrayContaining([`application ${logtoLab().logto.appName}`, 'user testuser']));
});

test("a learner's changes in the Console are put back: the redirect URIs, a user's password", async () => {
  const management = await connectLogtoManagement(logtoLab(), { dbUrl: logtoDbUrl() });
  const user = {
    username: `drift_${randomBytes(4).toString('hex')}`,
    password: 'drift-password-4711',
    email: 'drift@example.com',
    firstName: 'Drift',
    lastName: 'Test',
  };
  const app = await management.api<{ id: string }>('POST', '/applications', {
    name: 'MCP Inspector',
    type: 'SPA',
    oidcClientMetadata: { redirectUris: [...logtoLab().client.redirectUris], postLogoutRedirectUris: [] },
  });
  const lab = withSettings(logtoLab(), { LOGTO_APP_ID: app.id });
  await provisionLogto(lab, { dbUrl: logtoDbUrl(), users: [user] });
  const [{ id: userId }] = (await management.api<Array<{ id: string }>>(
    'GET',
    `/users?search.username=${user.username}&mode.username=exact`,
  )) as [{ id: string }];
  try {
    const current = await management.api<{ oidcClientMetadata: Record<string, unknown> }>('GET', `/applications/${app.id}`);
    await management.api('PATCH', `/applications/${app.id}`, {
      oidcClientMetadata: { ...current.oidcClientMetadata, redirectUris: ['http://localhost:1/elsewhere'] },
    });
    await management.api('PATCH', `/users/${userId}/password`, { password: 'changed-in-the-console' });

    const { appId, changes } = await provisionLogto(lab, { dbUrl: logtoDbUrl(), users: [user] });
    const again = await provisionLogto(lab, { dbUrl: logtoDbUrl(), users: [user] });

    expect(appId).toBe(app.id);
    expect(changes.filter(({ action }) => action !== 'unchanged')).toEqual([
      expect.objectContaining({ item: 'application MCP Inspector', action: 'updated', fields: ['redirectUris'] }),
      expect.objectContaining({ item: `user ${user.username}`, action: 'updated', fields: ['password'] }),
    ]);
    expect(again.changes.filter(({ action }) => action !== 'unchanged')).toEqual([]);
  } finally {
    await management.api('DELETE', `/users/${userId}`);
    await management.api('DELETE', `/applications/${app.id}`);
  }
});

test("LAB_LOCALE=zh-CN: the sign-in page falls back to Chinese, the browser's language still first; English again puts back Logto's default", async ({
  browser,
}) => {
  const lab = logtoLab();
  const zhLab = withSettings(lab, { LAB_LOCALE: 'zh-CN' });
  const management = await connectLogtoManagement(lab, { dbUrl: logtoDbUrl() });
  const languageInfo = async () => (await management.api<{ languageInfo: unknown }>('GET', '/sign-in-exp')).languageInfo;
  const languageChange = ({ changes }: { changes: Change[] }) => changes.find(({ item }) => item === 'sign-in experience');
  const contexts: BrowserContext[] = [];
  const signInPage = async (locale: string) => {
    const context = await browser.newContext({ locale });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto((await authorizationUrl()).href);
    return page;
  };
  // Logto's seed: what an English lab asks for, so global setup's provisioning changed nothing.
  expect(await languageInfo()).toEqual({ autoDetect: true, fallbackLanguage: 'en' });
  let english: { changes: Change[] };
  try {
    const chinese = await provisionLogto(zhLab, { dbUrl: logtoDbUrl(), users: [] });
    const again = await provisionLogto(zhLab, { dbUrl: logtoDbUrl(), users: [] });

    expect(languageChange(chinese)).toEqual({ item: 'sign-in experience', action: 'updated', fields: ['languageInfo'] });
    expect(languageChange(again)).toEqual({ item: 'sign-in experience', action: 'unchanged' });
    expect(await languageInfo()).toEqual({ autoDetect: true, fallbackLanguage: 'zh-CN' });
    // Logto's zh-CN "Sign in" button and "Sign in to your account"; sv-SE: a language Logto has no pages in.
    for (const locale of ['zh-CN', 'sv-SE']) {
      const page = await signInPage(locale);
      await expect(page.getByRole('button', { name: '登录', exact: true }), `a browser in ${locale}`).toBeVisible();
      await expect(page.getByText('登录你的账号', { exact: true })).toBeVisible();
    }
    const page = await signInPage('en-US');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true }), 'a browser in en-US').toBeVisible();
    await expect(page.getByText('Sign in to your account', { exact: true })).toBeVisible();
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    english = await provisionLogto(lab, { dbUrl: logtoDbUrl(), users: [] });
  }

  expect(languageChange(english)).toEqual({ item: 'sign-in experience', action: 'updated', fields: ['languageInfo'] });
  expect(await languageInfo()).toEqual({ autoDetect: true, fallbackLanguage: 'en' });
});

/** An authorization request (code + PKCE) of the tier's application: the browser lands on Logto's sign-in page. */
async function authorizationUrl(): Promise<URL> {
  const lab = logtoLab();
  const { authorizationUrl } = await startAuthorization(lab.provider.issuer, {
    metadata: await discoverAuthorizationServerMetadata(lab.provider.issuer),
    clientInformation: { client_id: logtoAppId() },
    redirectUrl: lab.client.testRedirectUri,
    scope: lab.provider.scope,
  });
  return authorizationUrl;
}
