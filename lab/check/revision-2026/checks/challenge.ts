import { t } from '../../../../core/messages.ts';
import { defineCheck, describeAnswer, fail, pass, quote, type Outcome } from '../../check.ts';
import type { Answer } from '../../probes.ts';
import { parseBearerChallenge } from '../bearer-challenge.ts';
import { postModern } from '../modern-requests.ts';

/**
 * Without a token: 401, and a challenge that says where the protected resource metadata is (a
 * client finds Keycloak through it) and which scope to ask for (only what the server needs to be
 * used at all, so that a tool needing more asks for it by step-up).
 */
export const challenge = defineCheck({
  name: 'no token: 401 naming the metadata and the scope',
  line: 'challenge',
  checkpoints: [2],
  needs: ['server'],
  provides: { facts: ['challenge'], otherwise: () => t('check.challenge.no-token-asked') },
  async run({ endpoints }) {
    return judgeChallenge(await postModern(endpoints['streamable-http'], 'server/discover'));
  },
});

/** The verdict on how POST /mcp answers server/discover without a token. */
export function judgeChallenge(answer: Answer): Outcome {
  if ('error' in answer || answer.status !== 401) {
    const said = 'error' in answer ? '' : quote(answer.text, 120);
    const detail = () => t('check.challenge.answers', { answer: describeAnswer(answer), said: said || 'none' });
    // A JSON-RPC answer (a result, or even a protocol error) came from the MCP layer: nothing stood before it.
    const mcpAnswered = !('error' in answer) && typeof answer.json === 'object' && answer.json !== null && 'jsonrpc' in answer.json;
    return fail(detail, mcpAnswered || (!('error' in answer) && answer.status < 300) ? 'token-not-required' : 'no-modern-endpoint');
  }
  const header = answer.headers.get('www-authenticate');
  const parsed = parseBearerChallenge(header);
  const found = { challenge: { resourceMetadataUrl: parsed?.resourceMetadata, scope: parsed?.scope } };
  const quoted = header ? quote(header, 300) : '';
  const detail = () => t('check.challenge.401', { header: quoted || 'none' });
  if (!parsed?.resourceMetadata) return fail(detail, 'challenge-without-resource-metadata', found);
  if (!parsed.scope) return fail(detail, 'challenge-without-scope', found);
  return pass(detail, found);
}
