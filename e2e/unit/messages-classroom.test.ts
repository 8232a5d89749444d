/**
 * The room's pages and `classroom progress` in the room's language: with LAB_LOCALE=zh-CN the
 * handout and the progress page are Chinese (lang, labels, a font stack with Han characters), the
 * page's count comes ready-made from /progress.json, and the terminal table stays aligned.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../core/config.ts';
import { displayWidth } from '../../core/display-width.ts';
import { activeLocale, catalogues, locales, useLocale } from '../../core/messages.ts';
import { progressView, type StudentProgress } from '../../lab/classroom/progress-server.ts';
import { renderProgressPage } from '../../lab/classroom/progress-page.ts';
import { classroomProgress } from '../../lab/commands/classroom-progress.ts';
import { renderHandoutHtml } from '../../lab/handout.ts';
import type { Student } from '../../provisioning/roster.ts';

const chineseFonts = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", system-ui, sans-serif';
const students: Student[] = [
  { username: 'ann', password: 'pw-ann-1', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' },
  { username: 'bob', password: 'pw-bob-2', email: 'bob@example.com', firstName: 'Bob', lastName: 'Ray' },
];

test.describe('the classroom in Chinese', () => {
  test('the handout is in the room\'s language: lang="zh-CN", Chinese labels, a font stack with Han characters', () => {
    const html = renderHandoutHtml(students, loadConfig({ LAB_LOCALE: 'zh-CN', LAB_PUBLIC_HOST: '10.0.0.5' }));
    const cards = html.split('<section class="card">').slice(1);

    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain(`font-family: ${chineseFonts};`);
    expect(html).toContain('<title>MCP Auth Lab — 学生账号</title>');
    expect(html).toContain('2 个学生账号（沿虚线剪开）');
    expect(cards).toHaveLength(2);
    expect(cards[0]).toContain('<tr><th>用户名</th><td class="secret">ann</td></tr>');
    expect(cards[0]).toContain('<tr><th>密码</th><td class="secret">pw-ann-1</td></tr>');
    expect(cards[0]).toContain(
      '<tr><th>服务器 URL</th><td>http://10.0.0.5:3001/mcp (Streamable HTTP) · http://10.0.0.5:3001/sse (SSE)</td></tr>',
    );
    expect(cards[0]).toContain('<tr><th>OAuth 客户端 ID</th><td>mcp-inspector</td></tr>');
    expect(cards[0]).toContain('<tr><th>权限 (Scopes)</th><td>openid profile email</td></tr>');
    expect(cards[0]).toContain('<tr><th>发行者 (Issuer)</th><td>http://10.0.0.5:8080/realms/mcp-realm</td></tr>');
    expect(cards[0]).toMatch(
      /<tr><th>MCP Inspector<\/th><td>http:\/\/localhost:6274（在你自己的电脑上运行：npx @modelcontextprotocol\/inspector@[\d.]+）<\/td><\/tr>/,
    );
    for (const english of ['Username', 'Password', 'Server URL', 'student accounts', 'on your laptop']) expect(html).not.toContain(english);
  });

  test('in English the handout and the page keep their language and fonts', () => {
    const room = loadConfig({ LAB_LOCALE: 'en', LAB_PUBLIC_HOST: '10.0.0.5' });
    for (const html of [renderHandoutHtml(students, room), renderProgressPage(room)]) {
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('font-family: system-ui, sans-serif;');
    }
    const page = renderProgressPage(room);
    expect(page).toContain("<title>MCP Auth Lab — the room's progress</title>");
    expect(page).toContain('<thead><tr><th>Student</th><th>Checkpoint 1</th><th>Checkpoint 2</th></tr></thead>');
    expect(page).toContain(
      '<p><small>Students report with <code>npm run lab -- check --report</code> against http://10.0.0.5:8090. This page updates by itself.</small></p>',
    );
  });

  test("the progress page is in the room's language, and its browser script formats no message", ({}, testInfo) => {
    const room = loadConfig({ LAB_LOCALE: 'zh-CN', LAB_PUBLIC_HOST: '10.0.0.5', LAB_STATE_DIR: testInfo.outputPath('state') });
    const page = renderProgressPage(room);

    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain(`font-family: ${chineseFonts};`);
    expect(page).toContain('<title>MCP Auth Lab — 教室进度</title>');
    expect(page).toContain('<h1>我是谁？— 教室进度</h1>');
    expect(page).toContain('<p class="summary" id="summary">正在等待第一份报告…</p>');
    expect(page).toContain('<table aria-label="进度">');
    expect(page).toContain('<thead><tr><th>学生</th><th>检查点 1</th><th>检查点 2</th></tr></thead>');
    expect(page).toContain('学生运行 <code>npm run lab -- check --report</code> 向 http://10.0.0.5:8090 报告结果。本页面会自动刷新。');
    expect(page).toContain('"passed":"✓ 通过"');
    expect(page).toContain('"unreachable":"实验环境没有响应，正在重试…"');
    for (const english of ['Student', 'Checkpoint', 'passed checkpoint', ' of ', 'retrying', 'Waiting'])
      expect(page).not.toContain(english);

    // The count comes from the server, in the room's language.
    const progress = new Map<string, StudentProgress>([
      ['ann', { username: 'ann', checkpoints: { '2': { passed: true, failed: [], at: '2026-01-01T00:00:00Z' } } }],
      [
        'bob',
        {
          username: 'bob',
          checkpoints: {
            '2': { passed: false, failed: [{ name: 'whoami', diagnosis: 'tool-ignores-auth-info' }], at: '2026-01-01T00:00:00Z' },
          },
        },
      ],
    ]);
    expect(progressView(room, progress).summary).toBe('2 名学生中已有 1 名通过检查点 2。');
    expect(progressView(loadConfig({ LAB_STATE_DIR: testInfo.outputPath('state') }), progress).summary).toBe(
      '1 of 2 students have passed checkpoint 2.',
    );
  });

  test('the texts the pages take as they are hold no markup', () => {
    for (const locale of locales)
      for (const [key, message] of Object.entries(catalogues[locale]))
        if (/^classroom\.(page|handout)\./.test(key)) expect(message, `${locale} ${key}`).not.toMatch(/[<>&]/);
  });

  test('`classroom progress` in Chinese: its columns line up on a terminal, diagnosis ids as they are', async ({}, testInfo) => {
    const view = {
      students: [
        { username: 'ann', checkpoints: { '1': { passed: true, failed: [], at: '' }, '2': { passed: true, failed: [], at: '' } } },
        {
          username: 'bob',
          checkpoints: { '2': { passed: false, failed: [{ name: 'whoami', diagnosis: 'tool-ignores-auth-info' }], at: '' } },
        },
        { username: 'cat', checkpoints: {} },
      ],
      summary: '',
      updatedAt: '',
    };
    const server = createServer((_request, response) =>
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(view)),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const lines: string[] = [];
    const log = console.log;
    const before = activeLocale();
    // As `runMain` does for LAB_LOCALE=zh-CN (withLocale would end before the command's awaits).
    useLocale('zh-CN');
    console.log = (line: string) => lines.push(line);
    try {
      const room = loadConfig({
        LAB_PROGRESS_PORT: String((server.address() as AddressInfo).port),
        LAB_STATE_DIR: testInfo.outputPath('state'),
      });
      expect(await classroomProgress(room)).toBe(0);
    } finally {
      console.log = log;
      useLocale(before);
      server.close();
    }

    expect(lines.slice(0, 4)).toEqual([
      '学生  检查点 1  检查点 2',
      'ann   ✓ 通过    ✓ 通过',
      'bob   —         ✗ tool-ignores-auth-info',
      'cat   —         —',
    ]);
    // Each column starts at the same terminal column on every line.
    const starts = (line: string) => [...line.matchAll(/ {2,}/g)].map((gap) => displayWidth(line.slice(0, gap.index! + gap[0].length)));
    expect(starts(lines[1]!)).toEqual(starts(lines[0]!));
    expect(lines[4]).toMatch(/^3 名学生中已有 1 名通过检查点 2。页面：http:\/\/localhost:\d+\/progress$/);
  });
});
