/**
 * The lab command in Chinese: with LAB_LOCALE=zh-CN `--help` lists the same commands with Chinese
 * summaries in one aligned column, a command's own usage line keeps its flags, and a refusal is one
 * line `错误：…` with a non-zero exit. `node lab/cli.ts` as a user runs it, with no Keycloak behind it.
 */
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../core/config.ts';
import { displayWidth } from '../../core/display-width.ts';
import { activeLocale, useLocale } from '../../core/messages.ts';
import { nextSteps } from '../../lab/commands/init.ts';
import { runLab } from '../support/run-command.ts';

const han = /\p{Script=Han}/u;

/** The rows of `--help`'s table: the command, and the column its summary starts at. */
function helpRows(stdout: string): Array<{ name: string; column: number; summary: string }> {
  return stdout
    .split('\n')
    .map((line) => /^ {2}(\S+)( +)(\S.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, name, gap, summary]) => ({ name: name!, column: displayWidth(`  ${name}${gap}`), summary: summary! }));
}

/** A refusal as `runMain` prints it in Chinese: one line, no stack. */
function isOneChineseErrorLine(stderr: string): boolean {
  const lines = stderr.trim().split('\n');
  return lines.length === 1 && lines[0]!.startsWith('错误：') && !/\n\s+at /.test(stderr);
}

test.describe('the lab command in Chinese', () => {
  test('--help: the same commands, Chinese summaries in one aligned column', async () => {
    const english = await runLab(['--help'], { LAB_LOCALE: 'en' });
    const chinese = await runLab(['--help'], { LAB_LOCALE: 'zh-CN' });

    expect(chinese.exitCode).toBe(0);
    const lines = chinese.stdout.trim().split('\n');
    expect(lines[0]).toBe('用法：npm run lab -- <command> [flags]      （不带命令时为 up）');
    expect(lines.at(-1)).toBe('运行 `npm run lab -- <command> --help` 查看该命令的选项。');
    const rows = helpRows(chinese.stdout);
    expect(rows.map((row) => row.name)).toEqual(helpRows(english.stdout).map((row) => row.name));
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((row) => row.column)).size).toBe(1);
    for (const row of rows) expect(row.summary, row.name).toMatch(han);
    // The maintainers' tools stay English, but their lines in the table are the learner's language.
    expect(rows.find((row) => row.name === 'bench')?.summary).toContain('写入 BENCHMARKS.md');
  });

  test("a command's --help: its flags as they are, its summary in Chinese", async () => {
    const result = await runLab(['init', '--help'], { LAB_LOCALE: 'zh-CN' });

    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      '用法：npm run lab -- init DIR --sdk node|python [--provider keycloak|oidc|oauth]',
      '  创建教程中的空项目（“创建”和“安装”两步），依赖固定为实验环境测试过的版本',
    ]);
  });

  test('an unknown command: one Chinese line `错误：…` and exit code 1', async () => {
    const result = await runLab(['bogus'], { LAB_LOCALE: 'zh-CN' });

    expect(result.exitCode).toBe(1);
    expect(isOneChineseErrorLine(result.stderr), result.stderr).toBe(true);
    expect(result.stderr.trim()).toBe('错误：未知命令“bogus”——运行 `npm run lab -- --help`');
  });

  test("the usage refusals: Node's own wording said again in Chinese, the numbers as typed", async () => {
    const cases: Array<[string[], string]> = [
      [['provision', '--runs', '3'], '错误：provision：未知选项 --runs'],
      [['classroom', '--students'], '错误：classroom：选项 --students 缺少取值'],
      [['classroom', '--students', '10000'], '错误：--students 需要 1 到 1000 之间的整数，收到的是“10000”'],
      [['down', 'now'], '错误：down：多余的参数“now”——运行 `npm run lab -- down --help`'],
      [['init', 'x', '--sdk', 'ruby'], '错误：init 需要 --sdk node 或 --sdk python，收到的是“ruby”'],
    ];
    for (const [args, start] of cases) {
      const result = await runLab(args, { LAB_LOCALE: 'zh-CN' });

      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(isOneChineseErrorLine(result.stderr), result.stderr).toBe(true);
      expect(result.stderr.startsWith(start), result.stderr).toBe(true);
    }
  });

  test('a command for the Keycloak tab on another tab: the refusal and its hint in Chinese', async () => {
    const result = await runLab(['reset'], { LAB_LOCALE: 'zh-CN', LAB_PROVIDER: 'oidc' });

    expect(result.exitCode).toBe(1);
    expect(isOneChineseErrorLine(result.stderr), result.stderr).toBe(true);
    expect(result.stderr.trim()).toBe(
      '错误：reset 重置 Keycloak 中 Realm 的账号，但 LAB_PROVIDER=oidc 不运行 Keycloak——`npm run lab -- check` 可以对照当前标签页的授权服务器检查一个服务器',
    );
  });

  test("`lab init`'s next steps in Chinese: each step's command still last on its line, the tutorial's titles as rendered", () => {
    const before = activeLocale();
    useLocale('zh-CN');
    try {
      const printed = nextSteps(loadConfig({}), { target: '/home/ada/mcp-server', port: 3002, sdk: 'node' }).split('\n');

      expect(printed[0]).toBe(
        '项目已在 /home/ada/mcp-server 准备就绪。你的服务器端口：3002（.env 中的 PORT；实验环境自带的 whoami 服务器使用 3001）。',
      );
      expect(printed.filter((line) => /^ {2}[234]\. .*`$/.test(line))).toHaveLength(3);
      expect(printed[2]).toContain('“创建 MCP 服务器 (Create the MCP server)”');
      expect(printed.at(-1)).toBe(
        '在 MCP Inspector 中，你的服务器是 http://localhost:3002/sse，要请求的权限 (Scope) 是 `openid profile email`。',
      );
    } finally {
      useLocale(before);
    }
  });
});
