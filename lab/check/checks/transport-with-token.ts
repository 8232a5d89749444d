import { defineCheck, describeAnswer, fail, pass } from '../check.ts';
import { postInitialize, sseAnswer } from '../probes.ts';
import { checkWorkingTransports } from './working-transports.ts';

/** With the user's token: which transports carry a session. */
export const transportWithToken = defineCheck({
  name: 'the transports carry a session with a token',
  line: 'transport',
  checkpoints: [2],
  needs: ['login'],
  provides: { facts: ['withToken'], otherwise: 'no MCP endpoint' },
  async run({
    facts: {
      login: { accessToken },
    },
    endpoints,
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
    if ([sse, mcp].some((answer) => !('error' in answer) && answer.status === 401)) {
      return pass('the MCP endpoints ask for a token', { withToken: { working: [], refused: true } });
    }
    return fail(`with a token, GET /sse answers ${describeAnswer(sse)} and POST /mcp answers ${describeAnswer(mcp)}`, 'no-mcp-endpoint');
  },
});
