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
  provides: { facts: ['challenge'], otherwise: 'the server does not ask for a token (see challenge)' },
  async run({ endpoints }) {
    return judgeChallenge(await postModern(endpoints['streamable-http'], 'server/discover'));
  },
});

/** The verdict on how POST /mcp answers server/discover without a token. */
export function judgeChallenge(answer: Answer): Outcome {
  if ('error' in answer || answer.status !== 401) {
    const said = 'error' in answer ? '' : quote(answer.text, 120);
    const detail = `without a token, POST /mcp answers ${describeAnswer(answer)}${said ? ` (${said})` : ''}`;
    // A JSON-RPC answer (a result, or even a protocol error) came from the MCP layer: nothing stood before it.
    const mcpAnswered = !('error' in answer) && typeof answer.json === 'object' && answer.json !== null && 'jsonrpc' in answer.json;
    return fail(detail, mcpAnswered || (!('error' in answer) && answer.status < 300) ? 'token-not-required' : 'no-modern-endpoint');
  }
  const header = answer.headers.get('www-authenticate');
  const parsed = parseBearerChallenge(header);
  const found = { challenge: { resourceMetadataUrl: parsed?.resourceMetadata, scope: parsed?.scope } };
  const quoted = header ? `WWW-Authenticate: ${quote(header, 300)}` : 'no WWW-Authenticate header';
  if (!parsed?.resourceMetadata) return fail(`without a token: 401 with ${quoted}`, 'challenge-without-resource-metadata', found);
  if (!parsed.scope) return fail(`without a token: 401 with ${quoted}`, 'challenge-without-scope', found);
  return pass(`without a token: 401 with ${quoted}`, found);
}
