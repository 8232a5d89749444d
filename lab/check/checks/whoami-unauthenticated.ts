import { t } from '../../../core/messages.ts';
import { defineCheck, fail, firstLine, pass, quote, skip, transportLabel } from '../check.ts';
import { callWhoami, type SessionError } from '../mcp-session.ts';
import { notAuthenticated } from './whoami-answers.ts';
import { toolsListed } from './whoami-claims.ts';

/** Checkpoint 1 as the tutorial has it: whoami is listed and answers "Not authenticated". */
export const whoamiUnauthenticated = defineCheck({
  name: 'whoami answers before auth',
  line: 'checkpoint 1',
  checkpoints: [1],
  needs: ['withoutToken', 'transports'],
  async run({ facts: { transports, withoutToken }, endpoints }) {
    const [transport] = transports;
    if (!transport) {
      const { open, asksForToken } = withoutToken;
      return asksForToken && !open.sse && !open['streamable-http']
        ? pass(() => t('check.whoami.past-checkpoint-1'))
        : skip(() => t('check.no-working-transport'));
    }
    const call = await callWhoami(endpoints[transport], transport).catch((error: unknown) => error as SessionError);
    if (call instanceof Error)
      return fail(
        () => t('check.whoami.session-failed-over', { transport, step: call.step, said: quote(firstLine(call.message)) }),
        'no-mcp-endpoint',
      );
    if (!call.tools.includes('whoami')) return fail(toolsListed(call.tools), 'whoami-missing');
    const answered = quote(call.text);
    if (JSON.stringify(call.result) !== notAuthenticated)
      return fail(() => t('check.whoami.answered', { answer: answered }), 'whoami-not-unauthenticated');
    return pass(() => t('check.whoami.unauthenticated', { answer: notAuthenticated, over: transportLabel(transport) }));
  },
});
