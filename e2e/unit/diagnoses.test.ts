import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { describeDiagnosis, diagnoses, diagnosis, type DiagnosisId } from '../../lab/check/diagnoses.ts';
import { expect, test } from '@playwright/test';

const ids = Object.keys(diagnoses) as DiagnosisId[];

test.describe('the catalogue of diagnoses', () => {
  test('every diagnosis has a kebab-case id, a mistake in words, a tutorial section with its anchor, and code only for the two tabs', () => {
    for (const id of ids) {
      const { mistake, section, code } = diagnoses[id];
      expect(id, id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(mistake.trim().length, id).toBeGreaterThan(10);
      expect(section.title.trim(), id).not.toBe('');
      expect(section.anchor, id).toMatch(/^#[a-z0-9-]+$/);
      expect(
        Object.keys(code).filter((tab) => tab !== 'node' && tab !== 'python'),
        id,
      ).toEqual([]);
      for (const line of Object.values(code)) expect(line.trim(), id).not.toBe('');
    }
  });

  test("gives a line of code in both tabs for every mistake in the server's code; a failed sign-in has none, a resource metadata mistake the Node.js one only", () => {
    const tabs = (id: DiagnosisId) => Object.keys(diagnoses[id].code).sort().join(',');

    expect(ids.filter((id) => tabs(id) === '')).toEqual(['login-refused', 'login-failed']);
    expect(ids.filter((id) => tabs(id) === 'node')).toEqual(['resource-metadata-wrong']);
    expect(ids.filter((id) => !['', 'node', 'node,python'].includes(tabs(id)))).toEqual([]);
  });

  test('every diagnosis is one `lab check` can give', () => {
    const checksDir = path.join(repoRoot, 'lab', 'check', 'checks');
    const checks = readdirSync(checksDir)
      .map((file) => readFileSync(path.join(checksDir, file), 'utf8'))
      .join('\n');

    expect(ids.filter((id) => !checks.includes(`'${id}'`))).toEqual([]);
  });

  test('each diagnosis keeps its id beside it', () => {
    expect(diagnosis('wrong-issuer')).toEqual({ id: 'wrong-issuer', ...diagnoses['wrong-issuer'] });
  });
});

test.describe('describeDiagnosis', () => {
  test("in the tab the server is written in: the mistake, the section to reread, and that tab's line of code", () => {
    const { mistake } = diagnoses['no-bearer-middleware'];

    expect(describeDiagnosis(diagnosis('no-bearer-middleware'), 'node')).toBe(
      `${mistake}; tutorial: "Update MCP server" (#update-mcp-server); code: app.use(mcpAuth.bearerAuth(verifyToken));  // before the /sse and /messages routes`,
    );
    expect(describeDiagnosis(diagnosis('no-bearer-middleware'), 'python')).toBe(
      `${mistake}; tutorial: "Update MCP server" (#update-mcp-server); code: Mount('/', app=mcp.sse_app(), middleware=[bearer_auth])`,
    );
  });

  test('when the tab is unknown: both lines, each named by its tab', () => {
    const line = describeDiagnosis(diagnosis('wrong-issuer'), undefined);

    expect(line).toContain("; code: Node.js: fetchServerConfig('<the issuer of realm mcp-realm>', { type: 'oidc' })");
    expect(line).toContain('; code: Python: fetch_server_config("<the issuer of realm mcp-realm>", type=AuthServerType.OIDC)');
  });

  test('is one line even when the code spans two', () => {
    expect(diagnoses['whoami-missing'].code.python).toContain('\n');

    expect(describeDiagnosis(diagnosis('whoami-missing'), 'python')).toMatch(/code: @mcp\.tool\(\) def whoami\(\) -> dict\[str, Any\]: …$/);
    for (const id of ids)
      for (const sdk of ['node', 'python', undefined] as const) expect(describeDiagnosis(diagnosis(id), sdk)).not.toContain('\n');
  });

  test('leaves the code out when the tab has none', () => {
    expect(describeDiagnosis(diagnosis('resource-metadata-wrong'), 'python')).not.toContain('code:');
    expect(describeDiagnosis(diagnosis('login-refused'), undefined)).toBe(
      `${diagnoses['login-refused'].mistake}; tutorial: "Register MCP inspector as a client" (#register-mcp-inspector-as-a-client)`,
    );
  });
});
