import { t } from '../../../core/messages.ts';
import type { ProviderSettings } from '../../../core/config.ts';
import { defineCheck, describeAnswer, fail, pass, quote, type Outcome } from '../check.ts';
import { postInitialize, sseAnswer, type Answer, type SseOpening } from '../probes.ts';
import { checkWorkingTransports } from './working-transports.ts';

/** With the user's token: which transports carry a session. */
export const transportWithToken = defineCheck({
  name: 'the transports carry a session with a token',
  line: 'transport',
  checkpoints: [2],
  needs: ['login'],
  provides: { facts: ['withToken'], otherwise: () => t('check.no-mcp-endpoint') },
  async run({
    facts: {
      login: { accessToken },
    },
    endpoints,
    options: { config },
  }) {
    const sse = await sseAnswer(endpoints.sse, { token: accessToken });
    const mcp = await postInitialize(endpoints['streamable-http'], { token: accessToken });
    const open = { sse: !('error' in sse) && sse.status === 200, 'streamable-http': !('error' in mcp) && mcp.status === 200 };
    if (open.sse || open['streamable-http']) {
      return checkWorkingTransports(open, endpoints.sse, {
        token: accessToken,
        found: (working) => ({ withToken: { working, refused: false } }),
      });
    }
    return judgeClosedEndpoints(config.provider, sse, mcp);
  },
});

/**
 * Neither endpoint carries a session with a valid token: they ask for one (the token is refused,
 * whoami-claims says why), or something else answered. Without a token the server asked for one
 * (checkpoint 1), so a 500 now is verifyToken breaking on the token — on the OAuth 2 tab, the OIDC
 * tab's verifyToken, whose userinfo endpoint that server's metadata does not have.
 */
export function judgeClosedEndpoints(tab: ProviderSettings, sse: Omit<SseOpening, 'close'> | { error: string }, mcp: Answer): Outcome {
  if ([sse, mcp].some((answer) => !('error' in answer) && answer.status === 401)) {
    return pass(() => t('check.transport.ask-for-token'), { withToken: { working: [], refused: true } });
  }
  const answers = () => t('check.transport.with-token-answers', { sse: describeAnswer(sse), mcp: describeAnswer(mcp) });
  if (tab.kind === 'oauth' && [sse, mcp].some((answer) => !('error' in answer) && answer.status === 500)) {
    const said = 'text' in mcp ? /Failed to parse URL from undefined|Invalid URL '?None'?/.exec(mcp.text)?.[0] : undefined;
    return fail(() => (said ? t('check.said', { text: answers(), said: quote(said, 80) }) : answers()), 'no-userinfo-in-oauth-metadata');
  }
  return fail(answers, 'no-mcp-endpoint');
}
