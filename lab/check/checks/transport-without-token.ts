import { defineCheck, pass } from '../check.ts';
import { checkWorkingTransports } from './working-transports.ts';

/** Checkpoint 1: which transports carry a session, no token needed yet. */
export const transportWithoutToken = defineCheck({
  name: 'the transports carry a session without a token',
  line: 'transport',
  checkpoints: [1],
  needs: ['withoutToken'],
  provides: { facts: ['transports'], otherwise: 'no working MCP transport' },
  async run({ facts: { withoutToken }, endpoints }) {
    const { open, asksForToken } = withoutToken;
    if (asksForToken && !open.sse && !open['streamable-http']) {
      return pass('the MCP endpoints ask for a token, so they cannot be told apart without one', { transports: [] });
    }
    return checkWorkingTransports(open, endpoints.sse, { found: (transports) => ({ transports }) });
  },
});
