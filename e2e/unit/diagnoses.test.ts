import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, repoRoot } from '../../core/config.ts';
import { describeDiagnosis, diagnoses, diagnosesFor, diagnosis, type DiagnosisId } from '../../lab/check/diagnoses.ts';
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

test.describe("the provider tab's wording", () => {
  const keycloak = loadConfig({}).provider;
  const oidc = loadConfig({ LAB_PROVIDER: 'oidc', OIDC_PROVIDER_PORT: '18081' }).provider;
  const oauth = loadConfig({ LAB_PROVIDER: 'oauth', OAUTH_PROVIDER_PORT: '18082' }).provider;
  const texts = (tab: typeof oidc) =>
    Object.values(diagnosesFor(tab)).map(({ mistake, code }) => [mistake, ...Object.values(code)].join(' '));

  test("the Keycloak tab's is the catalogue, unchanged", () => {
    expect(diagnosesFor(keycloak)).toBe(diagnoses);
    expect(diagnosis('login-refused', keycloak)).toEqual(diagnosis('login-refused'));
  });

  test('the OIDC and OAuth 2 tabs name their server and issuer, never Keycloak or its realm', () => {
    for (const tab of [oidc, oauth]) {
      for (const text of texts(tab)) {
        expect(text).not.toMatch(/Keycloak|realm/);
      }
    }
    expect(diagnosis('login-refused', oidc).mistake).toMatch(/^The OIDC provider refused the sign-in/);
    expect(diagnosis('valid-token-refused', oauth).mistake).toMatch(/^a token the OAuth 2\.0 server just issued was refused/);
    expect(diagnosis('wrong-issuer', oidc).mistake).toContain('is not http://localhost:18081');
  });

  test("the code lines are the tab's: the issuer, `type: 'oauth'` and the user endpoint on the OAuth 2 tab", () => {
    expect(diagnosis('wrong-issuer', oidc).code).toEqual({
      node: "fetchServerConfig('http://localhost:18081', { type: 'oidc' })",
      python: 'fetch_server_config("http://localhost:18081", type=AuthServerType.OIDC)',
    });
    expect(diagnosis('wrong-issuer', oauth).code.python).toBe('fetch_server_config("http://localhost:18082", type=AuthServerType.OAUTH)');
    expect(diagnosis('valid-token-refused', oauth).code.node).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the line of code shown to the learner, not a template
      "fetch('http://localhost:18082/user', { headers: { Authorization: `Bearer ${token}` } })",
    );
    expect(diagnosis('valid-token-refused', oidc).code).toEqual(diagnoses['valid-token-refused'].code);
  });

  test("the OAuth 2 tab's own mistakes point at what the tab writes instead", () => {
    expect(describeDiagnosis(diagnosis('oidc-discovery-on-oauth-server', oauth), 'node')).toBe(
      `${diagnosis('oidc-discovery-on-oauth-server', oauth).mistake}; tutorial: "Set up MCP auth" (#set-up-mcp-auth); code: fetchServerConfig('http://localhost:18082', { type: 'oauth' })`,
    );
    expect(diagnosis('oidc-discovery-on-oauth-server', oauth).mistake).toContain(
      'http://localhost:18082/.well-known/openid-configuration answers 404',
    );
    expect(diagnosis('oidc-discovery-on-oauth-server', oauth).code.python).toBe(
      'fetch_server_config("http://localhost:18082", type=AuthServerType.OAUTH)',
    );
    expect(diagnosis('user-endpoint-wrong', oauth).mistake).toContain(
      "the OAuth 2.0 server's user endpoint is http://localhost:18082/user",
    );
    expect(diagnosis('user-endpoint-wrong', oauth).code.python).toBe(
      'requests.get("http://localhost:18082/user", headers={"Authorization": f"Bearer {token}"})',
    );
    expect(diagnosis('no-userinfo-in-oauth-metadata', oauth).mistake).toContain('Failed to parse URL from undefined');
    expect(diagnosis('no-userinfo-in-oauth-metadata', oauth).code.node).toContain("fetch('http://localhost:18082/user'");
    expect(diagnosis('oauth-scope-openid', oauth).mistake).toContain('{"scope": "profile"}');
    // Played on another tab (a URL checked by mistake), they still speak of the lab's OAuth 2.0 server.
    expect(diagnosis('user-endpoint-wrong', keycloak).mistake).toContain('http://localhost:8082/user');
  });
});
