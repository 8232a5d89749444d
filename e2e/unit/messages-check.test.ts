/**
 * `lab check` in Chinese: its diagnoses point at the zh-CN tutorial's sections by the titles the
 * page renders (and the English anchors), its lines are formatted in the learner's language when
 * printed, and its `--json` stays English, byte for byte, whatever LAB_LOCALE says.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../core/config.ts';
import { catalogues, t, withLocale } from '../../core/messages.ts';
import { fail, pass, toResult } from '../../lab/check/check.ts';
import { judgeMetadata } from '../../lab/check/checks/metadata.ts';
import { describeDiagnosis, diagnosis, tutorialAnchors, tutorialSection } from '../../lab/check/diagnoses.ts';
import { checkAgainstPage, tutorialHeadings } from '../drift/tutorial-code.ts';
import { runLab } from '../support/run-command.ts';

/** The page's `##`/`###` headings as it renders them: the title without backticks, and the anchor (`\{#id}`). */

/** A port nothing listens on, for now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

test.describe('lab check in Chinese', () => {
  test("every section a diagnosis points at is a heading of the zh-CN tutorial: its title as rendered, the page's anchor", () => {
    // The page's headings as committed; the drift tier checks them against the page itself.
    const headings = tutorialHeadings();
    expect(headings.length).toBeGreaterThan(10);

    const sections = withLocale('zh-CN', () =>
      tutorialAnchors.map((anchor) => {
        const { title, anchor: href } = tutorialSection(anchor);
        return { title, anchor: href };
      }),
    );
    for (const section of sections) expect(headings, section.title).toContainEqual(section);
  });

  test('a page whose headings changed is drift, named with the file to write again', ({}, testInfo) => {
    const page = testInfo.outputPath('retitled.mdx');
    mkdirSync(path.dirname(page), { recursive: true });
    writeFileSync(page, '## 概览 (Overview) \\{#overview}\n\n## 更新服务器 \\{#update-mcp-server}\n');
    expect(() => checkAgainstPage(page)).toThrow('e2e/drift/tutorial/headings.zh-CN.json no longer lists the headings of');
  });

  test('the catalogue holds a title for every section, and only for those', () => {
    const keys = Object.keys(catalogues['zh-CN']).filter((key) => key.startsWith('check.section.'));
    expect(keys.sort()).toEqual(tutorialAnchors.map((anchor) => `check.section.${anchor}`).sort());
    // English: the titles lab check has always printed.
    expect(tutorialSection('update-mcp-server').title).toBe('Update MCP server');
  });

  test('a diagnosis in Chinese: the mistake, the section as the zh-CN page has it with its anchor, the code as it is', () => {
    const described = withLocale('zh-CN', () => describeDiagnosis(diagnosis('no-bearer-middleware'), 'node'));

    expect(described).toBe(
      'whoami 在没有令牌时也响应了：没有 Bearer 中间件，所以任何人都能调用它；教程：“更新 MCP 服务器 (Update MCP server)”（#update-mcp-server）；代码：app.use(mcpAuth.bearerAuth(verifyToken));  // before the /sse and /messages routes',
    );
    // …and the same diagnosis in English, as it always was.
    expect(describeDiagnosis(diagnosis('no-bearer-middleware'), 'node')).toBe(
      'whoami answered without a token: there is no bearer middleware, so anyone can call it; tutorial: "Update MCP server" (#update-mcp-server); code: app.use(mcpAuth.bearerAuth(verifyToken));  // before the /sse and /messages routes',
    );
  });

  test("a diagnosis pointing at one of the lab's English pages keeps its link and title", () => {
    expect(withLocale('zh-CN', () => describeDiagnosis(diagnosis('no-scope-challenge'), undefined))).toMatch(
      /；参见：docs\/revision-2026\.md#step-up（“Step-up”）；代码：Node\.js：server\.registerTool\('whoami-admin'/,
    );
  });

  test('with the tab unknown, both lines of code, each named by its tab', () => {
    const described = withLocale('zh-CN', () => describeDiagnosis(diagnosis('wrong-issuer'), undefined));

    expect(described).toContain('教程：“配置 MCP Auth (Set up MCP auth)”（#set-up-mcp-auth）');
    expect(described).toContain("；代码：Node.js：fetchServerConfig('<the issuer of realm mcp-realm>', { type: 'oidc' })");
    expect(described).toContain('；代码：Python：fetch_server_config("<the issuer of realm mcp-realm>", type=AuthServerType.OIDC)');
  });

  test("a result's words are formatted when read: Chinese on the terminal, English in its JSON, from the same result", () => {
    const keycloak = loadConfig({});
    const outcome = judgeMetadata(
      new URL('http://localhost:3002'),
      keycloak,
      { status: 404, headers: new Headers(), text: '', json: undefined },
      undefined,
    );
    const result = toResult('metadata', outcome.result!, keycloak.provider);
    const json = () => withLocale('en', () => JSON.stringify(result));

    expect(withLocale('zh-CN', () => result.detail)).toBe('GET /.well-known/oauth-authorization-server 返回 HTTP 404');
    expect(withLocale('zh-CN', () => result.diagnosis!.mistake)).toContain('所以客户端找不到 Keycloak');
    expect(withLocale('zh-CN', json)).toBe(json());
    expect(JSON.parse(json())).toEqual({
      name: 'metadata',
      status: 'fail',
      detail: 'GET /.well-known/oauth-authorization-server answers HTTP 404',
      diagnosis: {
        id: 'no-metadata-route',
        mistake: expect.stringMatching(/^no authorization server metadata at /),
        section: { title: 'Update MCP server', anchor: '#update-mcp-server' },
        code: expect.any(Object),
      },
    });
  });

  test("a check's own words stay as they are: a string is no message", () => {
    const result = toResult('reachable', pass('it answers').result!);
    expect(withLocale('zh-CN', () => result.detail)).toBe('it answers');
    expect(withLocale('zh-CN', () => toResult('reachable', fail(() => t('check.no-mcp-endpoint'), 'no-mcp-endpoint').result!).detail)).toBe(
      '没有 MCP 端点',
    );
  });

  test('`lab check` with nothing listening: its lines in Chinese, its --json the same bytes as in English', async () => {
    // A URL nothing answers at (a port just free): the first check fails, the rest are skipped, no Keycloak needed.
    const url = `http://localhost:${await freePort()}`;
    const [zh, zhJson, enJson] = await Promise.all([
      runLab(['check', url], { LAB_LOCALE: 'zh-CN' }),
      runLab(['check', url, '--json'], { LAB_LOCALE: 'zh-CN' }),
      runLab(['check', url, '--json'], { LAB_LOCALE: 'en' }),
    ]);

    const lines = zh.stdout.trim().split('\n');
    expect(lines[0], zh.stdout).toBe(`正在检查服务器 ${url}`);
    expect(lines[1]).toMatch(new RegExp(`^✗ 可访问：${url} 上没有任何响应（ECONNREFUSED）(；.*——那是你的吗？)? — 那里没有程序在监听：`));
    expect(lines[1]).toContain('；教程：“创建 MCP 服务器 (Create the MCP server)”（#create-the-mcp-server）；代码：Node.js：');
    expect(
      lines.slice(2, -1).every((line) => /^- \S.*：已跳过（.+）$/.test(line)),
      zh.stdout,
    ).toBe(true);
    expect(lines.at(-1)).toBe(`1 项检查未通过；修正后再次运行 \`npm run lab -- check ${url}\`。`);
    expect(zh.exitCode).toBe(1);

    expect(zhJson.stdout).toBe(enJson.stdout);
    expect(zhJson.stdout).not.toMatch(/\p{Script=Han}/u);
    expect(JSON.parse(zhJson.stdout).results[0]).toMatchObject({ name: 'reachable', status: 'fail', diagnosis: { id: 'not-listening' } });
  });
});
