import { defineCheck, describeAnswer, fail, pass, quote, type Outcome } from '../../check.ts';
import type { Answer } from '../../probes.ts';
import { modernRevision, postModern, rpcOutcome } from '../modern-requests.ts';

/**
 * The revision itself: with testuser's token, `server/discover` (no initialize) offers 2026-07-28,
 * and neither it nor `tools/list` opens a session (no Mcp-Session-Id): every request stands alone.
 */
export const stateless = defineCheck({
  name: 'server/discover offers 2026-07-28, with no session',
  line: 'stateless',
  checkpoints: [2],
  needs: ['login'],
  provides: { facts: ['modern'], otherwise: 'the server does not speak 2026-07-28 (see stateless)' },
  async run({ endpoints, facts: { login } }) {
    const endpoint = endpoints['streamable-http'];
    const discover = await postModern(endpoint, 'server/discover', {}, { token: login.accessToken });
    const verdict = judgeDiscover(discover, login.username);
    if (!('supportedVersions' in verdict)) return verdict;
    const list = await postModern(endpoint, 'tools/list', {}, { token: login.accessToken });
    const listed = rpcOutcome(list);
    const tools =
      listed && 'result' in listed && Array.isArray(listed.result.tools) ? listed.result.tools.map((tool) => String(tool?.name)) : [];
    const sessions = [discover, list].flatMap((answer) => ('headers' in answer && answer.headers.get('mcp-session-id')) || []);
    const offered = `server/discover offers ${verdict.supportedVersions.join(', ')}`;
    if (sessions.length > 0) return fail(`${offered}, but answers with Mcp-Session-Id: ${quote(sessions[0]!, 80)}`, 'not-stateless');
    if (!listed || 'error' in listed) {
      return fail(
        `${offered}, but tools/list answers ${describeAnswer(list)}${listed ? ` ("${quote(listed.error, 120)}")` : ''}`,
        'no-modern-endpoint',
      );
    }
    return pass(`${offered}; neither it nor tools/list opens a session (no Mcp-Session-Id)`, {
      modern: { supportedVersions: verdict.supportedVersions, tools },
    });
  },
});

/** The verdict on server/discover's answer: the versions it offers, or why the server does not speak the revision. */
export function judgeDiscover(answer: Answer, username: string): Outcome | { supportedVersions: string[] } {
  const asked = `with ${username}'s token, server/discover answers ${describeAnswer(answer)}`;
  if ('error' in answer) return fail(asked, 'no-modern-endpoint');
  if (answer.status === 401) {
    const challenge = answer.headers.get('www-authenticate');
    return fail(`${asked}${challenge ? ` (WWW-Authenticate: ${quote(challenge, 200)})` : ''}`, 'jwt-check-refuses-valid-token');
  }
  const outcome = rpcOutcome(answer);
  if (outcome && 'result' in outcome) {
    const versions = Array.isArray(outcome.result.supportedVersions) ? outcome.result.supportedVersions.map(String) : [];
    if (versions.includes(modernRevision)) return { supportedVersions: versions };
    return fail(`server/discover offers ${quote(versions.join(', '), 120) || 'no versions'}, not ${modernRevision}`, 'speaks-2025-only');
  }
  // The SDK 1.x refuses the unknown version itself: "Unsupported protocol version: 2026-07-28 (supported versions: …)".
  if (outcome && 'error' in outcome) return fail(`${asked}: "${quote(outcome.error, 200)}"`, 'speaks-2025-only');
  return fail(`${asked}${answer.text ? ` (${quote(answer.text, 120)})` : ''}`, 'no-modern-endpoint');
}
