/**
 * The pure parts of `lab check --revision 2026-07-28`: how a challenge is read, the verdicts on the
 * server's answers (made by hand here, as the lab's 2026 server, the SDK 1.x server and the broken
 * ones answer: e2e/tests/lab-check-revision.spec.ts meets the real ones), the requests it sends,
 * and its diagnoses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from '../../core/config.ts';
import type { Outcome } from '../../lab/check/check.ts';
import { describeDiagnosis, diagnoses, diagnosis } from '../../lab/check/diagnoses.ts';
import type { Answer } from '../../lab/check/probes.ts';
import { parseBearerChallenge, scopesOf } from '../../lab/check/revision-2026/bearer-challenge.ts';
import { judgeForeignToken } from '../../lab/check/revision-2026/checks/audience.ts';
import { judgeChallenge } from '../../lab/check/revision-2026/checks/challenge.ts';
import { judgeDiscover } from '../../lab/check/revision-2026/checks/stateless.ts';
import { judgeAdminRefusal } from '../../lab/check/revision-2026/checks/step-up.ts';
import { revision2026Diagnoses } from '../../lab/check/revision-2026/diagnoses.ts';
import { jsonOf, modernBody, modernHeaders, rpcOutcome } from '../../lab/check/revision-2026/modern-requests.ts';

const prm = 'http://localhost:3001/.well-known/oauth-protected-resource';

/** An HTTP answer as the probes give it. */
function answer(status: number, body: unknown = {}, headers: Record<string, string> = {}): Answer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: new Headers(headers), text, json: jsonOf(text) };
}
const verdict = (outcome: Outcome | undefined) => (outcome?.result ? [outcome.result.status, outcome.result.diagnosis] : undefined);

test.describe('parseBearerChallenge', () => {
  test("reads the parameters of the lab's challenges and the SDK's, quoted or not", () => {
    expect(parseBearerChallenge(`Bearer scope="mcp:whoami", resource_metadata="${prm}"`)).toMatchObject({
      scope: 'mcp:whoami',
      resourceMetadata: prm,
    });
    expect(
      parseBearerChallenge(
        `Bearer error="insufficient_scope", error_description="Insufficient scope", scope="whoami:admin", resource_metadata="${prm}"`,
      ),
    ).toEqual({
      error: 'insufficient_scope',
      scope: 'whoami:admin',
      resourceMetadata: prm,
      params: { error: 'insufficient_scope', error_description: 'Insufficient scope', scope: 'whoami:admin', resource_metadata: prm },
    });
    expect(parseBearerChallenge('Bearer error=invalid_token')?.error).toBe('invalid_token');
    expect(parseBearerChallenge('Bearer error_description="a \\"quoted\\" word, and a comma"')?.params.error_description).toBe(
      'a "quoted" word, and a comma',
    );
  });

  test('finds the Bearer challenge among others, and none where there is none', () => {
    expect(parseBearerChallenge('Basic realm="x", Bearer scope="a b"')?.scope).toBe('a b');
    expect(parseBearerChallenge('Bearer')).toEqual({ params: {} });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
    expect(scopesOf(' mcp:whoami  whoami:admin ')).toEqual(['mcp:whoami', 'whoami:admin']);
    expect(scopesOf(undefined)).toEqual([]);
  });
});

test.describe('the 2026-07-28 requests', () => {
  test('repeat in their headers what the body says, and carry the revision in _meta', () => {
    const params = { name: 'whoami-admin', arguments: {} };

    expect(modernHeaders('tools/call', params)).toMatchObject({
      'MCP-Protocol-Version': '2026-07-28',
      'Mcp-Method': 'tools/call',
      'Mcp-Name': 'whoami-admin',
    });
    expect(modernHeaders('server/discover')).not.toHaveProperty('Mcp-Name');
    expect(modernBody('tools/call', params)).toMatchObject({
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
    });
  });

  test('an answer is read as JSON, or as the first data line of an event stream', () => {
    expect(jsonOf('{"result":{}}')).toEqual({ result: {} });
    expect(jsonOf('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"tools":[]}}\n\n')).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { tools: [] },
    });
    expect(jsonOf('<html>')).toBeUndefined();
    expect(rpcOutcome(answer(200, { result: { a: 1 } }))).toEqual({ result: { a: 1 } });
    expect(rpcOutcome(answer(400, { jsonrpc: '2.0', error: { code: -32000, message: 'no' } }))).toEqual({ error: 'no' });
    expect(rpcOutcome({ error: 'ECONNREFUSED' })).toBeUndefined();
  });
});

test.describe('the verdicts', () => {
  test('challenge: a 401 passes only with resource_metadata and scope; an answer without a token fails', () => {
    const full = judgeChallenge(answer(401, {}, { 'WWW-Authenticate': `Bearer scope="mcp:whoami", resource_metadata="${prm}"` }));
    expect(verdict(full)).toEqual(['pass', undefined]);
    expect(full.found).toEqual({ challenge: { resourceMetadataUrl: prm, scope: 'mcp:whoami' } });
    // mcp-auth's own 401: no scope, but what it names is still found for the sign-in.
    const raw = judgeChallenge(answer(401, {}, { 'WWW-Authenticate': `Bearer error="missing_auth_header", resource_metadata="${prm}"` }));
    expect(verdict(raw)).toEqual(['fail', 'challenge-without-scope']);
    expect(raw.found).toEqual({ challenge: { resourceMetadataUrl: prm, scope: undefined } });
    expect(verdict(judgeChallenge(answer(401, {}, { 'WWW-Authenticate': 'Bearer scope="mcp:whoami"' })))).toEqual([
      'fail',
      'challenge-without-resource-metadata',
    ]);
    expect(verdict(judgeChallenge(answer(401)))).toEqual(['fail', 'challenge-without-resource-metadata']);
    expect(verdict(judgeChallenge(answer(200, { jsonrpc: '2.0', id: 1, result: {} })))).toEqual(['fail', 'token-not-required']);
    // The SDK 1.x without a guard: its refusal of the revision came from the MCP layer, with no token asked for.
    expect(
      verdict(judgeChallenge(answer(400, { jsonrpc: '2.0', error: { code: -32000, message: 'Unsupported protocol version' }, id: null }))),
    ).toEqual(['fail', 'token-not-required']);
    expect(verdict(judgeChallenge(answer(404, 'Cannot POST /mcp')))).toEqual(['fail', 'no-modern-endpoint']);
    expect(verdict(judgeChallenge({ error: 'ECONNREFUSED' }))).toEqual(['fail', 'no-modern-endpoint']);
  });

  test('stateless: server/discover offers 2026-07-28; the SDK 1.x refuses the version; a refused token is the JWT check', () => {
    expect(judgeDiscover(answer(200, { jsonrpc: '2.0', id: 1, result: { supportedVersions: ['2026-07-28'] } }), 'testuser')).toEqual({
      supportedVersions: ['2026-07-28'],
    });
    const sdk1 = answer(400, {
      jsonrpc: '2.0',
      error: {
        code: -32000,
        message:
          'Bad Request: Unsupported protocol version: 2026-07-28 (supported versions: 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05, 2024-10-07)',
      },
      id: null,
    });
    const refused = judgeDiscover(sdk1, 'testuser') as Outcome;
    expect(verdict(refused)).toEqual(['fail', 'speaks-2025-only']);
    expect(refused.result?.detail).toContain('(supported versions: 2025-11-25,');
    expect(verdict(judgeDiscover(answer(200, { result: { supportedVersions: ['2025-11-25'] } }), 'testuser') as Outcome)).toEqual([
      'fail',
      'speaks-2025-only',
    ]);
    expect(verdict(judgeDiscover(answer(401, {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }), 'testuser') as Outcome)).toEqual([
      'fail',
      'jwt-check-refuses-valid-token',
    ]);
    expect(verdict(judgeDiscover(answer(404, '<html>Not Found</html>'), 'testuser') as Outcome)).toEqual(['fail', 'no-modern-endpoint']);
  });

  test('audience: a token for another resource is refused 401 invalid_token; 403, 200 and other codes say which mistake', () => {
    const of = (status: number, header?: string) =>
      verdict(judgeForeignToken(answer(status, {}, header ? { 'WWW-Authenticate': header } : {}), 'a token for aud account'));

    expect(of(401, `Bearer error="invalid_token", scope="mcp:whoami", resource_metadata="${prm}"`)).toEqual(['pass', undefined]);
    expect(of(200)).toEqual(['fail', 'audience-not-checked']);
    expect(of(403, 'Bearer error="insufficient_scope", scope="mcp:whoami"')).toEqual(['fail', 'audience-after-scope']);
    expect(of(401, `Bearer error="invalid_audience", resource_metadata="${prm}"`)).toEqual(['fail', 'refusal-not-invalid-token']);
    expect(of(401)).toEqual(['fail', 'refusal-not-invalid-token']);
    expect(verdict(judgeForeignToken({ error: 'ECONNRESET' }, 'a token'))).toEqual(['fail', 'no-modern-endpoint']);
  });

  test('step-up: whoami-admin refuses a token without the admin scope with 403 naming that scope alone', () => {
    const of = (status: number, body: unknown = {}, header?: string) =>
      verdict(judgeAdminRefusal(answer(status, body, header ? { 'WWW-Authenticate': header } : {}), 'whoami:admin', 'testuser'));
    const challenge = (scope: string) =>
      `Bearer error="insufficient_scope", error_description="Insufficient scope", scope="${scope}", resource_metadata="${prm}"`;

    expect(of(403, {}, challenge('whoami:admin'))).toBeUndefined();
    expect(of(200, { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '{"admin":true}' }] } })).toEqual([
      'fail',
      'no-scope-challenge',
    ]);
    expect(of(403, {}, challenge('mcp:whoami whoami:admin'))).toEqual(['fail', 'step-up-names-other-scopes']);
    expect(of(403, {}, challenge('admin'))).toEqual(['fail', 'step-up-names-other-scopes']);
    // mcp-auth's requiredScopes: 403 with its own code and no scope; a tool that refuses inside; a 401.
    expect(of(403, {}, 'Bearer error="missing_required_scopes"')).toEqual(['fail', 'step-up-challenge-incomplete']);
    expect(of(200, { jsonrpc: '2.0', id: 1, result: { isError: true, content: [{ type: 'text', text: 'forbidden' }] } })).toEqual([
      'fail',
      'step-up-challenge-incomplete',
    ]);
    expect(of(401, {}, 'Bearer error="invalid_token"')).toEqual(['fail', 'step-up-challenge-incomplete']);
  });
});

test.describe("the revision's diagnoses", () => {
  const ids = Object.keys(revision2026Diagnoses) as Array<keyof typeof revision2026Diagnoses>;

  test('each has a kebab-case id no tutorial diagnosis has, a section of docs/revision-2026.md, and Node.js code only', () => {
    const anchors = ['#stateless', '#audience', '#step-up', '#host-and-origin'];
    for (const id of ids) {
      const { mistake, section, code } = revision2026Diagnoses[id];
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(id in diagnoses, id).toBe(false);
      expect(mistake.length, id).toBeGreaterThan(10);
      expect(section.page, id).toBe('docs/revision-2026.md');
      expect(anchors, id).toContain(section.anchor);
      expect(
        Object.keys(code).filter((tab) => tab !== 'node'),
        id,
      ).toEqual([]);
    }
    // Lab setup, not code: the realm's binding, the realm's step-up user.
    expect(ids.filter((id) => Object.keys(revision2026Diagnoses[id].code).length === 0)).toEqual([
      'realm-audience-elsewhere',
      'realm-without-step-up',
    ]);
  });

  test('each is one a check of the revision can give', () => {
    const checksDir = path.join(repoRoot, 'lab', 'check', 'revision-2026', 'checks');
    const checks = readdirSync(checksDir)
      .map((file) => readFileSync(path.join(checksDir, file), 'utf8'))
      .join('\n');

    expect(ids.filter((id) => !checks.includes(`'${id}'`))).toEqual([]);
  });

  test('is described on one line, pointing at the page and its section, with the line of a 2.x server', () => {
    const described = describeDiagnosis(diagnosis('no-scope-challenge'), 'node');

    expect(described).toBe(
      `${revision2026Diagnoses['no-scope-challenge'].mistake}; see: docs/revision-2026.md#step-up ("Step-up"); code: ${revision2026Diagnoses['no-scope-challenge'].code.node}`,
    );
    expect(described).toContain("scopeChallenge: requireScopes('whoami:admin')");
    for (const id of ids) expect(describeDiagnosis(diagnosis(id), undefined)).not.toContain('\n');
  });
});
