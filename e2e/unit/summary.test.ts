import { loadConfig } from '../../core/config.ts';
import { displayWidth } from '../../core/display-width.ts';
import { withLocale } from '../../core/messages.ts';
import { labSummary } from '../../lab/summary.ts';
import { expect, test } from '@playwright/test';

/** The value of the row `label` in a summary. */
function row(summary: string, label: string): string | undefined {
  return summary
    .split('\n')
    .find((line) => line.startsWith(`  ${label}  `))
    ?.slice(label.length + 2)
    .trim();
}

test('after `lab up` a learner reads where everything is and what to type into the Inspector, in aligned rows', () => {
  expect(labSummary(loadConfig({}))).toBe(
    [
      'The lab is ready.',
      '  Keycloak admin console   http://localhost:8080/admin  (admin / admin)',
      '  Issuer                   http://localhost:8080/realms/mcp-realm',
      '  Test user                testuser / testpassword',
      '  whoami MCP server        http://localhost:3001/sse (SSE, as in the tutorial), http://localhost:3001/mcp (Streamable HTTP); tutorial mode',
      '  whoami server code       Node.js SDK: server/whoami.ts',
      '  Inspector: Client ID     mcp-inspector',
      '  Inspector: Scope         openid profile email',
      '  Inspector: redirect URL  http://localhost:6274/oauth/callback',
      "  Check your server        `npm run lab -- check DIR` (the folder `lab init` made) or `check URL` runs the tutorial's checkpoints against it",
      "  Room's progress          http://localhost:8090/progress  (students report with `npm run lab -- check --report`)",
      '  Language                 English (default); LAB_LOCALE=zh-CN for Chinese',
      'Start the MCP Inspector with `npx @modelcontextprotocol/inspector@2.12.0` and follow the tutorial.',
    ].join('\n'),
  );
});

test('with the Inspector started by the lab, its URL comes first and the last line says to open it', () => {
  const summary = labSummary(loadConfig({}), 'http://localhost:6274/?MCP_INSPECTOR_API_TOKEN=abc');

  expect(summary.split('\n')[1]).toBe(
    '  MCP Inspector            http://localhost:6274/?MCP_INSPECTOR_API_TOKEN=abc  (whoami-sse and whoami-http set up; switch one on)',
  );
  expect(summary.split('\n').at(-1)).toBe('Open the MCP Inspector at the URL above and follow the tutorial.');
});

test('in spec mode the scope to type includes the one whoami requires', () => {
  expect(row(labSummary(loadConfig({ AUTH_MODE: 'spec' })), 'Inspector: Scope')).toBe('openid profile email mcp:whoami');
});

test('with dynamic registration or a metadata document, no Client ID is typed, and the summary says so', () => {
  expect(row(labSummary(loadConfig({ LAB_CLIENT_REGISTRATION: 'dynamic' })), 'Inspector: Client ID')).toBe(
    'none: the Inspector registers itself (dynamic client registration)',
  );
  const cimd = labSummary(loadConfig({ LAB_CLIENT_REGISTRATION: 'cimd' }));
  expect(row(cimd, 'Inspector: Client ID')).toBe(
    'none: Client Settings › Client ID Metadata Document https://localhost:6279/clients/mcp-inspector.json',
  );
  expect(row(cimd, 'Inspector: Scope')).toBeUndefined();
});

test('the Python server is named with its tab and its file', () => {
  expect(row(labSummary(loadConfig({ WHOAMI_SDK: 'python' })), 'whoami server code')).toBe('Python SDK: server/python/whoami.py');
});

test('in a classroom the admin password stays off the screen, and the gate students reach Keycloak through is shown', () => {
  const summary = labSummary(loadConfig({ LAB_PUBLIC_HOST: '10.0.0.5', KEYCLOAK_ADMIN_PASSWORD: 'room-secret' }));

  expect(summary).not.toContain('room-secret');
  expect(row(summary, 'Keycloak admin console')).toBe(
    'http://localhost:8080/admin  (on this machine only; admin, password: `npm run lab -- admin-password`)',
  );
  expect(row(summary, 'Students reach Keycloak')).toBe("http://10.0.0.5:8080  (through nginx: the realm's pages only)");
  expect(row(summary, 'Issuer')).toBe('http://10.0.0.5:8080/realms/mcp-realm');
});

test("the OIDC and OAuth 2 tabs: the lab's own authorization server, its issuer, and the tab's Client ID and Scope", () => {
  const oidc = labSummary(loadConfig({ LAB_PROVIDER: 'oidc' }));
  expect(row(oidc, 'Issuer')).toBe('http://localhost:8081');
  expect(row(oidc, 'Keycloak admin console')).toBeUndefined();
  expect(row(oidc, 'Inspector: Client ID')).toBe('mcp-inspector');
  expect(row(oidc, 'Inspector: Scope')).toBe('openid profile email');

  const oauth = labSummary(loadConfig({ LAB_PROVIDER: 'oauth' }));
  expect(row(oauth, 'Issuer')).toBe('http://localhost:8082');
  expect(row(oauth, 'User endpoint')).toBe("http://localhost:8082/user  (what the OAuth 2 tab's verifyToken calls)");
  expect(row(oauth, 'Inspector: Scope')).toBe('profile');
  expect(row(labSummary(loadConfig({ LAB_PROVIDER: 'oidc', LAB_CLIENT_REGISTRATION: 'dynamic' })), 'Inspector: Client ID')).toBe(
    'none: the Inspector registers itself (dynamic client registration)',
  );
});

test("MCP_REVISION=2026-07-28: the box names the 2026 server's one endpoint, its file, the admin user and the Inspector's modern-era entry", () => {
  const summary = labSummary(
    loadConfig({ AUTH_MODE: 'spec', MCP_REVISION: '2026-07-28' }),
    'http://localhost:6274/?MCP_INSPECTOR_API_TOKEN=abc',
  );

  expect(row(summary, 'MCP Inspector')).toBe(
    'http://localhost:6274/?MCP_INSPECTOR_API_TOKEN=abc  (whoami-2026 set up, in the modern era; switch it on)',
  );
  expect(row(summary, 'whoami MCP server')).toBe('http://localhost:3001/mcp (Streamable HTTP, stateless); MCP 2026-07-28, spec mode');
  expect(row(summary, 'whoami server code')).toBe('Node.js SDK 2.x: server/revision-2026/whoami.ts');
  expect(row(summary, 'Admin user')).toBe(
    'adminuser / adminpassword  (realm role whoami-admin: may have whoami:admin, the step-up of whoami-admin)',
  );
});

test('the last row says which language the lab speaks, which setting chose it, and how to switch', () => {
  expect(row(labSummary(loadConfig({ LANG: 'en_US.UTF-8' })), 'Language')).toBe('English (LANG=en_US.UTF-8); LAB_LOCALE=zh-CN for Chinese');
  // The row says what the settings chose, in the language the box is printed in.
  expect(row(labSummary(loadConfig({ LAB_LOCALE: 'zh-CN' })), 'Language')).toBe('Chinese (LAB_LOCALE); LAB_LOCALE=en for English');
});

/** Where each row's value starts, in terminal columns (a Han character takes two). */
function valueColumns(summary: string): number[] {
  return summary
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => {
      // A label has single spaces only; two or more end it.
      const label = /^ {2}(\S+(?: \S+)*) {2,}/.exec(line);
      expect(label, line).not.toBeNull();
      return displayWidth(label![0]);
    });
}

test.describe('in Chinese (LAB_LOCALE=zh-CN)', () => {
  const zhSummary = (settings: Record<string, string>, inspectorOpenUrl?: string) =>
    withLocale('zh-CN', () => labSummary(loadConfig({ LAB_LOCALE: 'zh-CN', ...settings }), inspectorOpenUrl));

  test('the box speaks Chinese, names the language row, and keeps names, URLs and commands as they are', () => {
    const summary = zhSummary({}, 'http://localhost:6274/?MCP_INSPECTOR_API_TOKEN=abc');
    const lines = summary.split('\n');

    expect(lines[0]).toBe('实验环境已就绪。');
    expect(row(summary, 'MCP Inspector')).toBe(
      'http://localhost:6274/?MCP_INSPECTOR_API_TOKEN=abc（已配置 whoami-sse 和 whoami-http；开启其中一个）',
    );
    expect(row(summary, 'Keycloak 管理控制台')).toBe('http://localhost:8080/admin（admin / admin）');
    expect(row(summary, '发行者')).toBe('http://localhost:8080/realms/mcp-realm');
    expect(row(summary, '测试用户')).toBe('testuser / testpassword');
    expect(row(summary, 'Inspector：Client ID')).toBe('mcp-inspector');
    expect(row(summary, 'Inspector：权限 (Scopes)')).toBe('openid profile email');
    expect(row(summary, 'Inspector：回调 URL')).toBe('http://localhost:6274/oauth/callback');
    expect(row(summary, '语言')).toBe('中文（LAB_LOCALE）；LAB_LOCALE=en 切换为英文');
    expect(lines.at(-1)).toBe('打开上面 MCP Inspector 的 URL，然后按教程操作。');
    expect(row(zhSummary({ LAB_LOCALE: '', LANG: 'zh_CN.UTF-8' }), '语言')).toBe('中文（LANG=zh_CN.UTF-8）；LAB_LOCALE=en 切换为英文');
  });

  test('every row of every box starts its value at the same column, Chinese labels counted two columns a character', () => {
    const boxes = [
      zhSummary({}),
      zhSummary({}, 'http://localhost:6274/?MCP_INSPECTOR_API_TOKEN=abc'),
      zhSummary({ LAB_PUBLIC_HOST: '10.0.0.5', KEYCLOAK_ADMIN_PASSWORD: 'room-secret' }),
      zhSummary({ LAB_CLIENT_REGISTRATION: 'cimd' }),
      zhSummary({ LAB_PROVIDER: 'oauth' }),
      zhSummary({ LAB_PROVIDER: 'logto', LOGTO_APP_ID: 'app123' }),
      zhSummary({ AUTH_MODE: 'spec', MCP_REVISION: '2026-07-28' }, 'http://localhost:6274/?MCP_INSPECTOR_API_TOKEN=abc'),
    ];
    for (const summary of boxes) {
      const columns = valueColumns(summary);
      expect(columns.length).toBeGreaterThan(5);
      expect(new Set(columns), summary).toEqual(new Set([columns[0]]));
      // Two spaces, the widest label, two spaces: no wider than it must be.
      expect(summary).toMatch(/^ {2}\S+(?: \S+)* {2}\S/m);
    }
    // The widest label here is "Inspector：权限 (Scopes)": 23 columns, the colon full-width.
    expect(valueColumns(boxes[0]!)[0]).toBe(2 + displayWidth('Inspector：权限 (Scopes)') + 2);
  });

  test('the classroom box keeps the password off the screen, in Chinese too', () => {
    const summary = zhSummary({ LAB_PUBLIC_HOST: '10.0.0.5', KEYCLOAK_ADMIN_PASSWORD: 'room-secret' });

    expect(summary).not.toContain('room-secret');
    expect(row(summary, 'Keycloak 管理控制台')).toBe(
      'http://localhost:8080/admin（仅限本机；admin，密码：`npm run lab -- admin-password`）',
    );
    expect(row(summary, '学生访问 Keycloak')).toBe('http://10.0.0.5:8080（经由 nginx：只能访问该 Realm 的页面）');
  });
});
