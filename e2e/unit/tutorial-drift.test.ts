/**
 * What `npm run drift` relies on, without its network installs: the committed report has an
 * outcome for every row, the tutorial's code assembles into a server that parses, and a changed
 * outcome is told in one line. (The drift check itself runs in CI: `npm run drift -- --check`.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { runCommand } from '../../core/process.ts';
import { firstDifference, parseOutcomes } from '../drift/report.ts';
import { assembleServer } from '../drift/tutorial-code.ts';
import { expect, test } from '@playwright/test';

const issuer = 'http://localhost:8080/realms/mcp-realm';

test("docs/tutorial-drift.md records an outcome for each tab, as written and with the lab's pins", () => {
  const outcomes = parseOutcomes(readFileSync(path.join(repoRoot, 'docs', 'tutorial-drift.md'), 'utf8'));

  expect(Object.keys(outcomes ?? {})).toEqual([
    'Python, as written',
    "Python, the lab's pins",
    'Node.js, as written',
    "Node.js, the lab's pins",
  ]);
  for (const outcome of Object.values(outcomes!)) expect(outcome).toMatch(/^(pass|fail: \S.*)$/);
});

test("the Python tab's server as a learner puts it together: v1, the MCP Auth set-up, the update — valid Python", async () => {
  const code = assembleServer('python', { issuer, port: 3051 });

  expect(code).toContain(`auth_issuer = '${issuer}'`);
  // The update uses Middleware without importing it; the learner adds the import.
  expect(code).toContain('from starlette.middleware import Middleware');
  expect(code.match(/^app = Starlette\(/gm)).toHaveLength(1);
  expect(code).toContain("Mount('/', app=mcp.sse_app(), middleware=[bearer_auth])");
  expect(code.match(/^def whoami\(\)/gm)).toHaveLength(1);
  expect(code).toContain('mcp_auth.auth_info.claims');
  const parsed = await runCommand('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code });
  expect(parsed.exitCode, parsed.stderr).toBe(0);
});

test("the Node.js tab's server as a learner puts it together: the app.use lines before the routes — valid JavaScript", async ({}, testInfo) => {
  const code = assembleServer('node', { issuer, port: 3052 });

  expect(code).toContain(`const authIssuer = '${issuer}';`);
  expect(code).toContain('const PORT = 3052;');
  expect(code.indexOf('app.use(mcpAuth.bearerAuth(verifyToken));')).toBeGreaterThan(code.indexOf('const app = express();'));
  expect(code.indexOf('app.use(mcpAuth.bearerAuth(verifyToken));')).toBeLessThan(code.indexOf("app.get('/sse'"));
  expect(code.match(/server\.tool\('whoami'/g)).toHaveLength(1);
  expect(code).toContain('authInfo?.claims');
  const file = testInfo.outputPath('whoami.mjs');
  writeFileSync(file, code);
  const checked = await runCommand(process.execPath, ['--check', file]);
  expect(checked.exitCode, checked.stderr).toBe(0);
});

test('a changed outcome is one line naming the row and both outcomes', () => {
  const committed = { 'Python, as written': 'fail: ModuleNotFoundError', 'Node.js, as written': 'pass' };

  expect(firstDifference(committed, { ...committed })).toBeUndefined();
  expect(firstDifference(committed, { ...committed, 'Python, as written': 'pass' })).toBe(
    'Python, as written: docs/tutorial-drift.md says "fail: ModuleNotFoundError", today "pass"',
  );
});
