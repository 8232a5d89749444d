/**
 * LAB_LOCALE=zh-CN end to end: a realm of its own provisioned in Chinese, Keycloak's Chinese login,
 * consent and account pages found by their Chinese roles and labels (an English browser still gets
 * English), the Inspector walk-through's Chinese pictures, `lab check` printing its lines in
 * Chinese while `--json` stays the same bytes, and `lab doctor`'s realm language line. One realm,
 * three browser sign-ins, one `lab check` sign-in.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Page } from '@playwright/test';
import { runCommandSync } from '../../core/process.ts';
import { provisionLab } from '../../provisioning/provision.ts';
import { brokenCopy, brokenServers, startServer } from '../support/broken-servers.ts';
import { expectOnlyProblemCounted } from '../support/doctor-output.ts';
import { expect, test } from '../support/fixtures.ts';
import { InMemoryOAuthClientProvider } from '../support/in-memory-oauth-provider.ts';
import { InspectorPage, walkthroughDir } from '../support/inspector-page.ts';
import { lab, mcpEndpoint } from '../support/lab.ts';
import { freshAdmin, startRealmLab, type RealmLab } from '../support/realm-lab.ts';
import { runLab } from '../support/run-command.ts';
import { testPorts } from '../support/test-ports.ts';

/**
 * Keycloak's zh-CN login page (the `keycloak.v2` theme's messages, the same on 26.2, 26.5 and 26.7;
 * 26.5+ maps zh-CN to its zh-Hans bundle): what a person reads, found by role and name.
 */
const zhLogin = {
  heading: '登录到您的账户',
  username: '用户名 或 电子邮箱地址',
  password: '密码',
  submit: '登录',
  invalidUser: '无效的用户名或密码。',
} as const;

/** Keycloak's zh-CN consent page (`login-oauth-grant.ftl`), in front of a client that registered itself. */
const zhConsent = {
  heading: (client: string) => `授权给 ${client}`,
  question: '您是否授予这些访问权限?',
  /** The scopes asked for, as the page lists them (profileScopeConsentText, emailScopeConsentText). */
  scopes: ['用户资料', '电子邮箱地址'],
  yes: '是',
  no: '否',
} as const;

/**
 * Keycloak's zh-CN account console (`keycloak.v3`, a React app; its zh bundle is the same on 26.2,
 * 26.5 and 26.7): the personal-info page it opens on, and an item of its navigation.
 */
const zhAccount = {
  personalInfo: '个人信息',
  accountSecurity: '帐户安全',
} as const;

/** The Chinese pictures of the walk-through (scripts/update-readme-screenshots.ts copies them to docs/images/zh-CN/). */
const zhScreenshots = path.join(walkthroughDir, 'zh-CN');

test.describe('a realm provisioned with LAB_LOCALE=zh-CN', () => {
  // One realm and one Inspector port: these tests take turns, on one worker.
  test.describe.configure({ mode: 'default' });
  // A Chinese browser (Accept-Language: zh-CN); the size of the README's screenshots.
  test.use({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });

  let realmLab: RealmLab;

  test.beforeAll(async () => {
    realmLab = await startRealmLab({
      prefix: 'zh-cn',
      // Dynamic: a client may also register itself, and meets Keycloak's consent page; the
      // tutorial's pre-registered mcp-inspector (the walk-through, `lab check`) is there as in manual.
      registration: 'dynamic',
      mode: 'tutorial',
      port: testPorts.zhCnWhoami,
      settings: { LAB_LOCALE: 'zh-CN' },
    });
  });
  test.afterAll(async () => {
    await realmLab?.stop();
  });

  test('provisioning turns internationalization on with zh-CN the default and English offered; a second run changes nothing', async () => {
    expect(realmLab.config.locale.tag).toBe('zh-CN');
    expect(realmLab.provisioned[0]).toEqual({ item: `realm ${realmLab.config.realm.name}`, action: 'created' });
    const admin = await freshAdmin(realmLab.config);

    const realm = await admin.realms.findOne({ realm: realmLab.config.realm.name });
    const again = await provisionLab(admin, realmLab.config);

    expect(realm).toMatchObject({ internationalizationEnabled: true, defaultLocale: 'zh-CN' });
    expect([...(realm!.supportedLocales ?? [])].sort()).toEqual(['en', 'zh-CN']);
    expect(
      again.filter(({ action }) => action !== 'unchanged'),
      'the second provisioning run',
    ).toEqual([]);
  });

  test('a Chinese browser gets the Chinese login, consent and account pages: a wrong password is refused in Chinese, the right one and 是 get a code and a token', async ({
    page,
  }) => {
    const endpoint = mcpEndpoint(realmLab.server.url, 'streamable-http');
    // A client that registers itself (the dynamic profile) is asked for consent: Keycloak's anonymous
    // "Consent Required" policy, for the scopes shown on the consent page (profile, email).
    const provider = new InMemoryOAuthClientProvider({
      identity: { dynamic: true },
      scope: realmLab.config.client.scope,
      redirectUri: lab.client.testRedirectUri,
    });
    expect(await auth(provider, { serverUrl: endpoint })).toBe('REDIRECT');
    const clientId = provider.clientInformation()!.client_id;
    const clientName = provider.clientMetadata.client_name!;
    const { redirected } = await watchRedirect(page, lab.client.testRedirectUri);
    requireCjkFont();

    await test.step('the login page: a wrong password is refused in Chinese', async () => {
      await page.goto(provider.authorizationUrl!.href);
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await expect(page.getByRole('heading', { name: zhLogin.heading })).toBeVisible();
      await signInInChinese(page, { username: lab.user.username, password: 'not-the-password' });
      await expect(page.getByText(zhLogin.invalidUser, { exact: true })).toBeVisible();
      await expect(page.getByRole('textbox', { name: zhLogin.password, exact: true })).toBeEmpty();
      await signInInChinese(page, lab.user);
    });
    await test.step(`the consent page: ${zhConsent.heading(clientName)}, ${zhConsent.yes} / ${zhConsent.no}; ${zhConsent.yes} sends the code`, async () => {
      await expect(page.getByRole('heading', { name: zhConsent.heading(clientName), exact: true })).toBeVisible();
      await expect(page.getByRole('heading', { name: zhConsent.question, exact: true })).toBeVisible();
      for (const scope of zhConsent.scopes) await expect(page.getByRole('listitem').filter({ hasText: scope })).toBeVisible();
      await expect(page.getByRole('button', { name: zhConsent.no, exact: true })).toBeVisible();
      await screenshot(page, '03-keycloak-consent');
      await page.getByRole('button', { name: zhConsent.yes, exact: true }).click();
    });
    const code = (await redirected).searchParams.get('code');

    expect(code, 'Keycloak sent an authorization code to the redirect URI').toBeTruthy();
    expect(await auth(provider, { serverUrl: endpoint, authorizationCode: code! })).toBe('AUTHORIZED');
    const claims = jwtClaims(provider.tokens()!.access_token);
    expect(claims).toMatchObject({ iss: realmLab.config.realm.issuer, preferred_username: lab.user.username, azp: clientId });

    await test.step("the account console, signed in already (Keycloak's session): Chinese too", async () => {
      // A second tab of the same browser: the first may still be settling on the redirect URI, and
      // Chromium cuts one navigation off with the other (seen on 26.7.3).
      const account = await page.context().newPage();
      await account.goto(`${realmLab.config.realm.issuer}/account`);
      await expect(account.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await expect(account.getByRole('heading', { name: zhAccount.personalInfo, exact: true })).toBeVisible();
      await expect(account.getByRole('navigation').getByText(zhAccount.accountSecurity, { exact: true })).toBeVisible();
    });
  });

  test("an English browser (Accept-Language: en-US) gets English: Keycloak puts the browser's language before the realm's default", async ({
    browser,
  }) => {
    const provider = new InMemoryOAuthClientProvider({
      identity: { clientId: lab.client.id },
      scope: lab.client.scope,
      redirectUri: lab.client.testRedirectUri,
    });
    expect(await auth(provider, { serverUrl: mcpEndpoint(realmLab.server.url, 'streamable-http') })).toBe('REDIRECT');
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();

      await page.goto(provider.authorizationUrl!.href);

      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page.getByRole('heading', { name: 'Sign in to your account' })).toBeVisible();
      await expect(page.getByRole('textbox', { name: 'Username or email', exact: true })).toBeVisible();
      await expect(page.getByRole('heading', { name: zhLogin.heading })).toHaveCount(0);
    } finally {
      await context.close();
    }
  });

  test('the walk-through in Chinese: the Inspector sends testuser to the Chinese login page, whoami shows their claims (pictures)', async ({
    page,
    inspector,
  }) => {
    const transport = 'sse';
    // The Inspector's own UI has no Chinese: its steps are the English walk-through's.
    const inspectorPage = new InspectorPage(page, { checkpoint: 'Checkpoint 2 (zh-CN)', issuer: realmLab.config.realm.issuer });
    requireCjkFont();

    await inspectorPage.open(inspector.url);
    await inspectorPage.addServer({ serverId: 'whoami', transport, url: mcpEndpoint(realmLab.server.url, transport).href });
    await inspectorPage.setOAuthClient('whoami', { clientId: lab.client.id, scopes: lab.client.scope });
    await inspectorPage.connect('whoami');
    await expect(page).toHaveURL((url) => url.href.startsWith(`${realmLab.config.realm.issuer}/protocol/openid-connect/auth?`));
    await expect(page.getByRole('heading', { name: zhLogin.heading })).toBeVisible();
    await screenshot(page, '01-keycloak-login');
    await signInInChinese(page, lab.user);
    await inspectorPage.expectBackAuthorized('whoami');
    const result = await inspectorPage.runWhoami();

    await expect(result).toContainText(`"preferred_username": "${lab.user.username}"`);
    await expect(result).toContainText(`"email": "${lab.user.email}"`);
    await screenshot(page, '02-whoami-result');
    await inspectorPage.disconnect();
  });

  test('`lab check` in Chinese signs in at the Chinese realm: every check passes', async ({}, testInfo) => {
    const result = await runLab(['check', realmLab.server.url], { ...realmLab.env, LAB_LOCALE: 'zh-CN' }, 120_000);
    await testInfo.attach('lab check (zh-CN)', { body: result.stdout + result.stderr, contentType: 'text/plain' });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/^✗ /m);
    // Checkpoint 2, in Chinese: testuser signed in at the Chinese login page, whoami returned their sub.
    expect(result.stdout).toMatch(/^✓ .*\p{Script=Han}.*（sub [0-9a-f-]{36}）$/mu);
  });
  test("`lab doctor` in Chinese: the realm speaks the lab's language; the same realm under an English lab is the one problem, with its fix", async () => {
    const zh = await runLab(['doctor'], { ...realmLab.env, LAB_LOCALE: 'zh-CN' });
    const en = await runLab(['doctor'], { ...realmLab.env, LAB_LOCALE: 'en' });

    expect(zh.stdout, zh.stdout + zh.stderr).toContain(`✓ Realm 语言：Realm ${realmLab.config.realm.name} 与实验环境的语言一致：中文`);
    expect(zh.stdout).not.toMatch(/^✗ Realm 语言/m);
    expectOnlyProblemCounted(en, 'realm language', 'Internationalization on', 'the lab speaks English', 'npm run lab -- provision');
  });
});

test.describe('`lab check` with LAB_LOCALE=zh-CN', () => {
  const broken = brokenServers.find(({ diagnosis }) => diagnosis === 'no-bearer-middleware')!;

  // The run's lab: the mistake stops the check before checkpoint 2's sign-in, so which realm (and
  // which language its pages speak) does not matter; only the lab's own words are Chinese.
  test("a server with no bearer middleware: a Chinese ✗ line with the zh-CN tutorial's section, exit 1; `--json` is the same bytes as in English", async ({}, testInfo) => {
    const url = `http://localhost:${testPorts.zhCnCheckServer}`;
    const server = await startServer(
      brokenCopy(testInfo.outputPath(), broken.edits),
      testPorts.zhCnCheckServer,
      testInfo.outputPath('server.log'),
    );
    try {
      const zh = await runLab(['check', url], { LAB_LOCALE: 'zh-CN' }, 120_000);
      const zhJson = await runLab(['check', url, '--json'], { LAB_LOCALE: 'zh-CN' }, 120_000);
      const enJson = await runLab(['check', url, '--json'], { LAB_LOCALE: 'en' }, 120_000);
      await testInfo.attach('lab check (zh-CN)', { body: zh.stdout + zh.stderr, contentType: 'text/plain' });

      expect(zh.exitCode, zh.stdout + zh.stderr).toBe(1);
      const failedLine = zh.stdout.split('\n').find((line) => line.startsWith('✗ ') && line.includes('#update-mcp-server'));
      expect(failedLine, `a ✗ line naming the section, in:\n${zh.stdout}`).toBeDefined();
      // Soft: the lines' language and the JSON's are separate promises; a failure reports both.
      expect.soft(failedLine, 'the diagnosis, in Chinese').toMatch(/\p{Script=Han}/u);
      expect.soft(failedLine).toContain('教程：“更新 MCP 服务器 (Update MCP server)”（#update-mcp-server）');
      expect.soft(zh.stdout, 'no English section reference').not.toContain('tutorial: "Update MCP server"');

      expect(enJson.exitCode).toBe(1);
      expect(zhJson.exitCode).toBe(1);
      const report = JSON.parse(enJson.stdout) as { results: Array<{ status: string; diagnosis?: { id: string } }> };
      expect(report.results.filter(({ status }) => status === 'fail').map(({ diagnosis }) => diagnosis?.id)).toContain(broken.diagnosis);
      // Language-neutral: the codes are the contract, the text stays English (nothing in it depends on timing).
      expect(zhJson.stdout).toBe(enJson.stdout);
    } finally {
      await server.stop();
    }
  });
});

/** Keycloak's Chinese login form, filled by its Chinese labels. */
async function signInInChinese(page: Page, { username, password }: { username: string; password: string }): Promise<void> {
  await expect(page.getByRole('heading', { name: zhLogin.heading })).toBeVisible();
  await page.getByRole('textbox', { name: zhLogin.username, exact: true }).fill(username);
  await page.getByRole('textbox', { name: zhLogin.password, exact: true }).fill(password);
  await page.getByRole('button', { name: zhLogin.submit, exact: true }).click();
}

/**
 * Where Keycloak sends the browser with the code: the request is seen (nothing listens there; the
 * route answers it), as in lab/check/provider-login.ts.
 */
async function watchRedirect(page: Page, redirectUri: string): Promise<{ redirected: Promise<URL> }> {
  await page.route(`${redirectUri}**`, (route) => route.fulfill({ contentType: 'text/plain', body: 'Authorization code received.' }));
  const redirected = new Promise<URL>((resolve) => {
    page.on('request', (request) => {
      if (request.url().startsWith(redirectUri)) resolve(new URL(request.url()));
    });
  });
  return { redirected };
}

function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

/**
 * Without a CJK font Chromium draws every Han character as a box, and the picture says nothing:
 * fail before taking it. Linux only (macOS and Windows ship CJK fonts); CI installs the package (.ci/run).
 */
function requireCjkFont(): void {
  if (process.platform !== 'linux') return;
  const fonts = runCommandSync('fc-list', [':lang=zh']);
  if (fonts.exitCode !== 0 || fonts.stdout.trim() === '') {
    throw new Error(
      'No CJK font (`fc-list :lang=zh` finds none): the zh-CN screenshots would show boxes; install one: apt-get install fonts-wqy-microhei',
    );
  }
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(zhScreenshots, { recursive: true });
  const file = path.join(zhScreenshots, `${name}.png`);
  await page.screenshot({ path: file });
  await test.info().attach(`zh-CN/${name}`, { path: file, contentType: 'image/png' });
}
