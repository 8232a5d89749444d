import { expect, test } from '@playwright/test';
import { loadConfig } from '../../core/config.ts';
import type { LabError } from '../../core/errors.ts';
import { keycloakStartRefusal, registrationRefusal } from '../../core/keycloak-versions.ts';
import { activeLocale, useLocale, withLocale } from '../../core/messages.ts';
import { poll } from '../../core/wait.ts';
import type { Change } from '../../provisioning/change.ts';
import { describeChange } from '../../provisioning/provision.ts';
import { countActions } from '../../provisioning/provision-students.ts';
import { parseRosterCsv } from '../../provisioning/roster.ts';

/** The message of what `work` throws. */
function thrown(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('nothing was thrown');
}

test.describe('settings and provisioning in Chinese (LAB_LOCALE=zh-CN)', () => {
  test('a wrong setting is refused in one Chinese line that keeps the names and values', () => {
    const zh = (settings: Record<string, string>) => withLocale('zh-CN', () => thrown(() => loadConfig(settings)));
    expect(zh({ WHOAMI_PORT: 'x' })).toBe('WHOAMI_PORT 必须是 1 到 65535 之间的端口号，当前为 "x"');
    expect(zh({ LAB_LOCALE: 'fr' })).toBe('LAB_LOCALE 必须是 "en" 或 "zh-CN"，当前为 "fr"');
    expect(zh({ LAB_PROVIDER: 'github' })).toBe('LAB_PROVIDER 必须是 "keycloak"、"oidc"、"oauth"、"logto" 之一，当前为 "github"');
    expect(zh({ LAB_PROVIDER: 'oidc', LAB_PUBLIC_HOST: 'lab.example' })).toBe(
      'LAB_PROVIDER=oidc 不能用于教室模式（LAB_PUBLIC_HOST=lab.example）：请使用 LAB_PROVIDER=keycloak',
    );
    // English stays as it was, whatever language ran before.
    expect(thrown(() => loadConfig({ LAB_PROVIDER: 'github' }))).toBe(
      'LAB_PROVIDER must be "keycloak", "oidc", "oauth", "logto", got "github"',
    );
    expect(thrown(() => loadConfig({ LAB_PUBLIC_HOST: '::1x' }))).toMatch(/^LAB_PUBLIC_HOST must be this machine's host name or address/);
  });

  test('a Keycloak that cannot do the profile, in Chinese', () => {
    expect(withLocale('zh-CN', () => registrationRefusal('cimd', '26.5.6'))).toBe(
      'LAB_CLIENT_REGISTRATION=cimd 需要 Keycloak 26.6 或更新版本，并以 --features=cimd 启动；当前是 Keycloak 26.5.6',
    );
    expect(
      withLocale('zh-CN', () => keycloakStartRefusal({ registration: 'manual', version: '26.2.4', features: ['resource-indicators'] })),
    ).toBe('KEYCLOAK_FEATURES 中的 resource-indicators 在 Keycloak 26.2.4 中还没有（26.6 才引入）');
  });

  test("provisioning's lines: the item and its fields as Keycloak names them, the action in Chinese", () => {
    const change: Change = { item: 'client mcp-inspector', action: 'updated', fields: ['redirectUris', 'webOrigins'] };
    expect(withLocale('zh-CN', () => describeChange(change))).toBe('client mcp-inspector：已更新（redirectUris, webOrigins）');
    expect(describeChange(change)).toBe('client mcp-inspector: updated (redirectUris, webOrigins)');
    expect(withLocale('zh-CN', () => describeChange({ item: 'realm mcp-realm', action: 'unchanged' }))).toBe('realm mcp-realm：无变化');
    const changes = [
      ...Array.from({ length: 1200 }, () => ({ item: 'user', action: 'created' as const })),
      { item: 'user', action: 'unchanged' as const },
    ];
    expect(withLocale('zh-CN', () => countActions(changes))).toBe('已创建 1200 个、无变化 1 个');
    // Numbers are not grouped ("1,200"): English stays byte-identical.
    expect(countActions(changes)).toBe('1200 created, 1 unchanged');
  });

  test('a roster problem names its file and line in Chinese', () => {
    const roster = 'username,email\nann,ann@example.com\nAnn,other@example.com\n';
    expect(withLocale('zh-CN', () => thrown(() => parseRosterCsv(roster, 'room.csv')))).toBe(
      'room.csv 第 3 行：用户名 "ann" 重复（第一次出现在第 2 行）',
    );
    expect(withLocale('zh-CN', () => thrown(() => parseRosterCsv('bob,bob@example.com,Bo<b>\n', 'room.csv')))).toBe(
      'room.csv 第 1 行：名字 (first name) "Bo<b>" 含有 Keycloak 不接受的姓名字符（<）',
    );
    const error = withLocale('zh-CN', () => {
      try {
        parseRosterCsv('username,email\n', 'room.csv');
      } catch (caught) {
        return caught as LabError;
      }
    });
    expect(error?.toLine()).toBe('room.csv 中没有学生 — 每个学生一行：username,email[,first name,last name]');
  });

  test('a wait that runs out says so in Chinese', async () => {
    // The language is the process's (the CLI sets it once), so it holds across the awaits.
    const before = activeLocale();
    useLocale('zh-CN');
    try {
      const message = await poll(async () => ({ pending: 'HTTP 503' }), { timeoutMs: 0, intervalMs: 1 }).catch(
        (error: Error) => error.message,
      );
      expect(message).toBe('0 秒后仍未就绪（最后结果：HTTP 503）');
    } finally {
      useLocale(before);
    }
  });
});
