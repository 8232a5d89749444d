import { t } from '../../../../core/messages.ts';
import { defineCheck, describeAnswer, fail, pass, quote, withChallenge, type Outcome } from '../../check.ts';
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
  provides: { facts: ['modern'], otherwise: () => t('check.stateless.not-modern') },
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
    const versions = verdict.supportedVersions.join(', ');
    if (sessions.length > 0) {
      const session = quote(sessions[0]!, 80);
      return fail(() => t('check.stateless.session', { versions, session }), 'not-stateless');
    }
    if (!listed || 'error' in listed) {
      const said = listed ? quote(listed.error, 120) : '';
      return fail(
        () => t('check.stateless.tools-list-answers', { versions, answer: describeAnswer(list), said: said || 'none' }),
        'no-modern-endpoint',
      );
    }
    return pass(() => t('check.stateless.offers', { versions }), {
      modern: { supportedVersions: verdict.supportedVersions, tools },
    });
  },
});

/** The verdict on server/discover's answer: the versions it offers, or why the server does not speak the revision. */
export function judgeDiscover(answer: Answer, username: string): Outcome | { supportedVersions: string[] } {
  const asked = () => t('check.stateless.discover-answers', { username, answer: describeAnswer(answer) });
  if ('error' in answer) return fail(asked, 'no-modern-endpoint');
  if (answer.status === 401)
    return fail(withChallenge(asked, answer.headers.get('www-authenticate'), 200), 'jwt-check-refuses-valid-token');
  const outcome = rpcOutcome(answer);
  if (outcome && 'result' in outcome) {
    const versions = Array.isArray(outcome.result.supportedVersions) ? outcome.result.supportedVersions.map(String) : [];
    if (versions.includes(modernRevision)) return { supportedVersions: versions };
    const offered = quote(versions.join(', '), 120);
    return fail(() => t('check.stateless.other-versions', { versions: offered || 'none', revision: modernRevision }), 'speaks-2025-only');
  }
  // The SDK 1.x refuses the unknown version itself: "Unsupported protocol version: 2026-07-28 (supported versions: …)".
  if (outcome && 'error' in outcome) {
    const said = quote(outcome.error, 200);
    return fail(() => t('check.stateless.refused', { asked: asked(), said }), 'speaks-2025-only');
  }
  const text = answer.text ? quote(answer.text, 120) : '';
  return fail(() => (text ? t('check.in-parentheses', { text: asked(), aside: text }) : asked()), 'no-modern-endpoint');
}
