import { t } from '../../../core/messages.ts';
import { defineCheck, pass } from '../check.ts';
import { checkWorkingTransports } from './working-transports.ts';

/** Checkpoint 1: which transports carry a session, no token needed yet. */
export const transportWithoutToken = defineCheck({
  name: 'the transports carry a session without a token',
  line: 'transport',
  checkpoints: [1],
  needs: ['withoutToken'],
  provides: { facts: ['transports'], otherwise: () => t('check.no-working-transport') },
  async run({ facts: { withoutToken }, endpoints }) {
    const { open, asksForToken } = withoutToken;
    if (asksForToken && !open.sse && !open['streamable-http']) {
      return pass(() => t('check.transport.cannot-tell-apart'), { transports: [] });
    }
    return checkWorkingTransports(open, endpoints.sse, { found: (transports) => ({ transports }) });
  },
});
