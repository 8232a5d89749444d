/**
 * The sign-in and consent pages of the lab's own authorization servers (the OIDC and OAuth 2 tabs,
 * lab/providers/interactions.ts) in the server's language: with LAB_LOCALE=zh-CN Chinese (lang,
 * labels, buttons, the refusal, a font stack with Han characters), what a person typed still
 * escaped; in English the words the tests and older notes know. `lab check`'s sign-in finds the
 * fields and buttons by the same words in either language (lab/check/provider-login.ts).
 */
import { expect, test } from '@playwright/test';
import { inLocale, withLocale } from '../../core/messages.ts';
import { loginPages } from '../../lab/check/provider-login.ts';
import { consentPage, errorPage, signInHeading, signInPage, wrongPasswordMessage } from '../../lab/providers/interactions.ts';

const chineseFonts = '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",system-ui,sans-serif';
const zh = <T>(work: () => T): T => withLocale('zh-CN', work);
const en = <T>(work: () => T): T => withLocale('en', work);
const englishWords = ['Sign in', 'Username', 'Password', 'Invalid', 'Authorize', 'asks for', 'Allow', 'Deny', 'Something went wrong'];

test.describe('the lab’s authorization servers in Chinese', () => {
  test('the sign-in page: lang="zh-CN", Chinese heading, labels and button, fonts with Han characters', () => {
    const html = zh(() => signInPage('abc'));

    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain(`body{font-family:${chineseFonts};`);
    expect(html).toContain('<title>登录 MCP Auth Lab</title>');
    expect(html).toContain('<h1>登录 MCP Auth Lab</h1>');
    expect(html).toContain('<p><label>用户名 <input name="username" autocomplete="username" value="" required autofocus></label></p>');
    expect(html).toContain('<p><label>密码 <input name="password" type="password" autocomplete="current-password" required></label></p>');
    expect(html).toContain('<p><button type="submit">登录</button></p>');
    expect(html).not.toContain('role="alert"');
    for (const english of englishWords) expect(html).not.toContain(english);
  });

  test('a wrong password: the refusal in Chinese, the name typed kept and escaped', () => {
    const html = zh(() =>
      signInPage('a/b', { username: '"><script>alert(1)</script>', refusal: inLocale('zh-CN', 'providers.sign-in.refused') }),
    );

    expect(html).toContain('<p role="alert" id="error">用户名或密码无效。</p>');
    expect(html).toContain('<form method="post" action="/interaction/a%2Fb/login">');
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
    expect(html).not.toContain('<script>');
  });

  test('the consent page: the client named (escaped), its scopes, 允许 and 拒绝', () => {
    const html = zh(() => consentPage('u1', 'Evil <img src=x onerror=alert(1)> & Co', ['openid', 'profile', 'email']));

    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<h1>授权 Evil &#60;img src=x onerror=alert(1)&#62; &#38; Co</h1>');
    expect(html).toContain('<p>Evil &#60;img src=x onerror=alert(1)&#62; &#38; Co 请求以下权限 (Scopes)：openid, profile, email</p>');
    expect(html).toContain('<form method="post" action="/interaction/u1/confirm"><button type="submit">允许</button></form>');
    expect(html).toContain('<form method="post" action="/interaction/u1/abort"><button type="submit">拒绝</button></form>');
    expect(html).not.toContain('<img');
    expect(zh(() => consentPage('u1', 'MCP Inspector', []))).toContain('<p>MCP Inspector 没有请求任何权限 (Scopes)</p>');
    for (const english of englishWords) expect(html).not.toContain(english);
  });

  test('the error page: a Chinese title, the OAuth code in English, the description escaped', () => {
    const html = zh(() => errorPage('invalid_request', inLocale('zh-CN', 'providers.consent.nothing')));

    expect(html).toContain('<title>出错了</title>');
    expect(html).toContain('<p id="error"><strong>invalid_request</strong>：没有需要你同意的授权，请回到应用重新开始。</p>');
    expect(zh(() => errorPage('<b>', 'a & "b"'))).toContain('<p id="error"><strong>&#60;b&#62;</strong>：a &#38; &#34;b&#34;</p>');
  });

  test("lab check's sign-in knows the Chinese page's words: the heading, the fields, the button, Allow", () => {
    const { heading, username, password, submit, consentButton, translations } = loginPages.oidc;
    const html = zh(() => signInPage('abc') + consentPage('abc', 'c', ['profile']));

    expect(heading).toBeInstanceOf(RegExp);
    expect('登录 MCP Auth Lab').toMatch(heading);
    expect(signInHeading).toMatch(heading);
    expect(translations?.zh).toEqual({ username: '用户名', password: '密码', submit: '登录', consentButton: '允许' });
    for (const word of Object.values(translations!.zh!)) expect(html).toContain(word);
    expect({ username, password, submit, consentButton }).toEqual({
      username: 'Username',
      password: 'Password',
      submit: 'Sign in',
      consentButton: 'Allow',
    });
    expect(loginPages.oauth.translations).toEqual(loginPages.oidc.translations);
  });
});

test('in English the pages keep their words, lang and fonts', () => {
  const signIn = en(() => signInPage('abc', { username: 'testuser', refusal: wrongPasswordMessage }));
  const consent = en(() => consentPage('abc', 'MCP Inspector', []));

  expect(signInHeading).toBe('Sign in to MCP Auth Lab');
  expect(wrongPasswordMessage).toBe('Invalid username or password.');
  expect(signIn).toContain('<html lang="en">');
  expect(signIn).toContain('body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0}');
  expect(signIn).toContain('<h1>Sign in to MCP Auth Lab</h1>');
  expect(signIn).toContain('<p role="alert" id="error">Invalid username or password.</p>');
  expect(signIn).toContain(
    '<p><label>Username <input name="username" autocomplete="username" value="testuser" required autofocus></label></p>',
  );
  expect(signIn).toContain('<p><label>Password <input');
  expect(signIn).toContain('<p><button type="submit">Sign in</button></p>');
  expect(consent).toContain('<h1>Authorize MCP Inspector</h1>');
  expect(consent).toContain('<p>MCP Inspector asks for: (no scopes)</p>');
  expect(consent).toContain('<button type="submit">Allow</button>');
  expect(consent).toContain('<button type="submit">Deny</button>');
  expect(en(() => errorPage('server_error', 'The authorization server failed; see its log.'))).toContain(
    '<title>Something went wrong</title>',
  );
});
