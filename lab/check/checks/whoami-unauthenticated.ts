import { defineCheck, fail, firstLine, pass, quote, skip, transportLabel } from '../check.ts';
import { callWhoami, type SessionError } from '../mcp-session.ts';
import { notAuthenticated } from './whoami-answers.ts';

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
        ? pass('the server already asks for a token: it is past checkpoint 1 (check it without --checkpoint 1)')
        : skip('no working MCP transport');
    }
    const call = await callWhoami(endpoints[transport], transport).catch((error: unknown) => error as SessionError);
    if (call instanceof Error)
      return fail(`the MCP session over ${transport} failed at "${call.step}": ${quote(firstLine(call.message))}`, 'no-mcp-endpoint');
    if (!call.tools.includes('whoami'))
      return fail(`tools/list lists ${call.tools.length ? quote(call.tools.join(', ')) : 'no tools'}`, 'whoami-missing');
    if (JSON.stringify(call.result) !== notAuthenticated) return fail(`whoami answered ${quote(call.text)}`, 'whoami-not-unauthenticated');
    return pass(`tools/list lists whoami; whoami answers ${notAuthenticated} over ${transportLabel(transport)}`);
  },
});
