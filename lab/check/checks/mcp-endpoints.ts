import { t } from '../../../core/messages.ts';
import { defineCheck, describeAnswer, fail, found } from '../check.ts';
import { postInitialize, sdkOf, sseAnswer } from '../probes.ts';

/** Without a token: does anything MCP answer at /sse or /mcp, openly or asking for a token? */
export const mcpEndpoints = defineCheck({
  name: 'an MCP endpoint exists',
  line: 'transport',
  checkpoints: [1, 2],
  needs: ['server'],
  provides: { facts: ['withoutToken'], otherwise: () => t('check.no-mcp-endpoint') },
  async run({ endpoints }) {
    const sse = await sseAnswer(endpoints.sse);
    const mcp = await postInitialize(endpoints['streamable-http']);
    const statusOf = (answer: typeof sse | typeof mcp) => ('error' in answer ? 0 : answer.status);
    const open = { sse: statusOf(sse) === 200, 'streamable-http': statusOf(mcp) === 200 };
    const asksForToken = statusOf(sse) === 401 || statusOf(mcp) === 401;
    if (!open.sse && !open['streamable-http'] && !asksForToken) {
      return fail(() => t('check.mcp-endpoints.none', { sse: describeAnswer(sse), mcp: describeAnswer(mcp) }), 'no-mcp-endpoint');
    }
    const sdk = sdkOf('headers' in sse ? sse.headers : undefined) ?? sdkOf('headers' in mcp ? mcp.headers : undefined);
    return found({ withoutToken: { sse, mcp, open, asksForToken, sdk } });
  },
});
