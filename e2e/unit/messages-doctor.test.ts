/**
 * `lab doctor` in Chinese (LAB_LOCALE=zh-CN): its lines come from core/messages/<locale>/doctor.json,
 * the marks, names of things, commands and the Keycloak admin console's labels staying as they are;
 * and the realm-language line, in both languages. provider-doctor.test.ts and logto-tab.test.ts
 * hold the English wording of the other lines.
 */
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../core/config.ts';
import { catalogues, t, withLocale } from '../../core/messages.ts';
import type { Answer } from '../../lab/check/probes.ts';
import { formatResult, ok, problem, skipped } from '../../lab/doctor/check.ts';
import { applicationVerdict, logtoConsoleCheckNames, redirectUriVerdict } from '../../lab/doctor/logto-checks.ts';
import {
  metadataUrl,
  metadataVerdict,
  providerChecks,
  providerIssuerVerdict,
  providerPortVerdict,
  registrationCorsVerdict,
} from '../../lab/doctor/provider-checks.ts';
import { realmLanguageVerdict, stepUpCheckNames } from '../../lab/doctor/realm-checks.ts';
import { registrationCheckNames } from '../../lab/doctor/registration-checks.ts';

const oidc = loadConfig({ LAB_PROVIDER: 'oidc' });
const oauth = loadConfig({ LAB_PROVIDER: 'oauth' });
const logto = loadConfig({ LAB_PROVIDER: 'logto', LOGTO_APP_ID: 'app123' });
const englishLab = loadConfig({ LAB_LOCALE: 'en' });
const chineseLab = loadConfig({ LAB_LOCALE: 'zh-CN' });
const chineseRealm = { internationalizationEnabled: true, supportedLocales: ['zh-CN', 'en'], defaultLocale: 'zh-CN' };

function answer(status: number, body: unknown = '', headers: Record<string, string> = {}): Answer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: new Headers(headers), text, json: typeof body === 'string' ? undefined : body };
}
const zh = <T>(work: () => T): T => withLocale('zh-CN', work);

test('the three kinds of line keep their marks; the summary counts problems', () => {
  expect(zh(() => formatResult(ok('发行者', 'http://localhost:8080/realms/mcp-realm')))).toBe(
    '✓ 发行者：http://localhost:8080/realms/mcp-realm',
  );
  expect(zh(() => formatResult(problem('受众', '问题', '运行 `npm run provision`')))).toBe('✗ 受众：问题 — 修复：运行 `npm run provision`');
  expect(zh(() => formatResult(skipped('受众', t('doctor.skipped.keycloak-not-ready'))))).toBe('- 受众：已跳过（Keycloak 未就绪）');
  expect(zh(() => t('doctor.summary.none'))).toBe('未发现问题。');
  expect(zh(() => t('doctor.summary.problems', { count: 2 }))).toBe('发现 2 个问题；修复后再运行一次 `npm run lab -- doctor`。');
  // English, as e2e/support/doctor-output.ts reads it.
  expect(t('doctor.summary.problems', { count: 1 })).toBe('1 problem found; fix them and run `npm run lab -- doctor` again.');
  expect(t('doctor.summary.problems', { count: 3 })).toBe('3 problems found; fix them and run `npm run lab -- doctor` again.');
});

test("the OIDC and OAuth 2 tabs' lines in Chinese: the code they quote stays as it is", () => {
  const health = answer(200, { status: 'ok', kind: 'oidc', issuer: 'http://localhost:8081' });
  expect(zh(() => formatResult(providerPortVerdict(oidc, health, true)))).toBe(
    '✓ OIDC 提供商端口 8081：在 http://localhost:8081 响应的是 OIDC 提供商',
  );
  expect(zh(() => formatResult(providerPortVerdict(oauth, { error: 'ECONNREFUSED' }, false)))).toBe(
    '✗ OAuth 2.0 服务器端口 8082：http://localhost:8082 无响应（ECONNREFUSED） — 修复：用 `LAB_PROVIDER=oauth npm run lab` 启动实验环境',
  );
  expect(zh(() => formatResult(metadataVerdict(oauth, metadataUrl(oauth), answer(404, { error: 'not_found' }))))).toBe(
    "✗ 元数据：http://localhost:8082/.well-known/oauth-authorization-server 返回 HTTP 404，不是元数据：标签页代码里的 `fetchServerConfig(authIssuer, { type: 'oauth' })` 会失败，服务器也随之失败 — 修复：用 `LAB_PROVIDER=oauth npm run lab` 重新启动实验环境",
  );
  expect(zh(() => formatResult(registrationCorsVerdict(oidc, answer(204))))).toContain(
    '✗ 注册 CORS：来自 http://localhost:6274 的 POST /reg 预检请求得到 HTTP 204，没有 Access-Control-Allow-Origin',
  );
  expect(zh(() => formatResult(providerIssuerVerdict(oidc, undefined)))).toBe('- 发行者：已跳过（没有 whoami 服务器响应）');
  expect(
    zh(() => formatResult(providerIssuerVerdict(logto, { mode: 'tutorial', sdk: 'node', issuer: 'http://localhost:8083/oidc' }))),
  ).toBe('✓ 发行者：http://localhost:8083/oidc（Logto 与 whoami 服务器一致）');
  expect(zh(() => providerChecks(oauth).map(({ name }) => name))).toEqual([
    '元数据',
    '无 OpenID 发现',
    '客户端 mcp-inspector',
    '注册 CORS',
  ]);
});

test("the Logto tab's lines in Chinese: the Console's labels stay English", () => {
  expect(zh(() => formatResult(applicationVerdict(logto, { id: 'a1', name: 'MCP Inspector', type: 'Traditional' })))).toBe(
    '✗ 应用："MCP Inspector" 的类型是 Traditional："Traditional web" 应用需要客户端密钥，Inspector 的令牌请求会以 invalid_client 失败 — 修复：在 Console 中创建一个 Single-page application（Applications › Create application › Single page app），或者用 `LAB_PROVIDER=logto npm run lab` 重新启动实验环境（它会恢复配置时创建的内容）',
  );
  expect(zh(() => formatResult(redirectUriVerdict(logto, { id: 'a1', name: 'MCP Inspector', type: 'SPA' })))).toContain(
    'Logto 会显示 "redirect_uri did not match"，而不是登录页面 — 修复：在 Console 中添加 http://localhost:6274/oauth/callback（应用的 Settings › Redirect URIs › Save）',
  );
  expect(zh(() => logtoConsoleCheckNames(logto))).toEqual(['应用', '重定向 URI', '用户 testuser']);
});

test("the Keycloak tab's check names and fixes in Chinese name the admin console's labels in English", () => {
  const dynamic = loadConfig({ LAB_CLIENT_REGISTRATION: 'dynamic' });
  expect(zh(() => registrationCheckNames(dynamic))).toEqual(['注册：Trusted Hosts', '注册：Allowed Client Scopes', '注册：Web 源']);
  expect(zh(() => stepUpCheckNames(loadConfig({ MCP_REVISION: '2026-07-28', AUTH_MODE: 'spec' })))).toEqual(['step-up 授权']);
  expect(zh(() => t('doctor.redirect-uri.fix', { clientId: 'mcp-inspector' }))).toBe(
    '运行 `npm run provision` 恢复，或在 Clients → mcp-inspector → "Valid redirect URIs" 中添加',
  );
  expect(t('doctor.redirect-uri.fix', { clientId: 'mcp-inspector' })).toBe(
    'run `npm run provision`, which puts it back, or add it under Clients → mcp-inspector → Valid redirect URIs',
  );
});

test("the realm's language: ok when it is the lab's, else what differs and `npm run lab -- provision`", () => {
  expect(formatResult(realmLanguageVerdict(englishLab, { internationalizationEnabled: false }))).toBe(
    "✓ realm language: realm mcp-realm speaks the lab's language: English (Internationalization off)",
  );
  expect(formatResult(realmLanguageVerdict(chineseLab, chineseRealm))).toBe(
    "✓ realm language: realm mcp-realm speaks the lab's language: Chinese (Internationalization on, Default locale zh-CN)",
  );
  // A realm made in English, the lab now in Chinese.
  const english = realmLanguageVerdict(chineseLab, { internationalizationEnabled: false });
  expect(formatResult(english)).toBe(
    "✗ realm language: realm mcp-realm has Internationalization off, but the lab speaks Chinese (LAB_LOCALE=zh-CN), which wants Internationalization on, Default locale zh-CN, Supported locales zh-CN, en — fix: run `npm run lab -- provision`, which gives the realm the lab's language, or set it under Realm settings → Localization",
  );
  expect(zh(() => formatResult(realmLanguageVerdict(chineseLab, { internationalizationEnabled: false })))).toBe(
    '✗ Realm 语言：Realm mcp-realm 的 Internationalization 已关闭，但实验环境的语言是中文（LAB_LOCALE=zh-CN），需要开启 Internationalization，Default locale 为 zh-CN，Supported locales 为 zh-CN, en — 修复：运行 `npm run lab -- provision`，它会让 Realm 使用实验环境的语言；或在 Realm settings → Localization 中设置',
  );
  // The other way round, and half of it: Chinese offered, English the default.
  expect(formatResult(realmLanguageVerdict(englishLab, chineseRealm))).toContain(
    'has Internationalization on (Default locale zh-CN, Supported locales zh-CN, en), but the lab speaks English (LAB_LOCALE=en), which wants Internationalization off',
  );
  const halfway = { internationalizationEnabled: true, supportedLocales: ['en', 'zh-CN'], defaultLocale: 'en' };
  expect(realmLanguageVerdict(chineseLab, halfway).status).toBe('problem');
  expect(realmLanguageVerdict(chineseLab, { ...chineseRealm, supportedLocales: ['en', 'zh-CN'] }).status).toBe('ok');
  expect(formatResult(realmLanguageVerdict(loadConfig({ LANG: 'C.UTF-8' }), chineseRealm))).toContain(
    'the lab speaks English (LANG=C.UTF-8)',
  );
});

test('every zh-CN doctor line is Chinese, with Chinese punctuation next to Han characters', () => {
  const doctorKeys = Object.keys(catalogues.en).filter((key) => key.startsWith('doctor.')) as (keyof typeof catalogues.en)[];
  const sameInBoth = ['doctor.name.management-api'];
  const untranslated = doctorKeys.filter((key) => !sameInBoth.includes(key) && catalogues['zh-CN'][key] === catalogues.en[key]);
  expect(untranslated).toEqual([]);
  const halfWidth = doctorKeys.filter((key) => /[\u4e00-\u9fff][,:;()]|[,:;()][\u4e00-\u9fff]/.test(catalogues['zh-CN'][key]));
  expect(halfWidth).toEqual([]);
});
