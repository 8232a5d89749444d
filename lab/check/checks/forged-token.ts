import { forgedCopy } from '../browser-login.ts';
import { defineCheck, fail, pass, skip } from '../check.ts';
import { postInitialize, sseAnswer } from '../probes.ts';

/** A token Keycloak never issued is refused, garbage or a forged signature alike. */
export const forgedToken = defineCheck({
  name: 'a token Keycloak never issued is refused',
  line: 'forged token',
  checkpoints: [2],
  needs: ['login', 'withToken'],
  async run({ facts: { login, withToken }, endpoints }) {
    const [transport] = withToken.working;
    if (!transport) return skip('no endpoint accepts even a valid token');
    const accepted: string[] = [];
    for (const [what, token] of [
      ['a garbage token', 'not-a-token-keycloak-issued'],
      ['a forged JWT (bad signature)', forgedCopy(login.accessToken)],
    ] as const) {
      const answer =
        transport === 'sse' ? await sseAnswer(endpoints.sse, { token }) : await postInitialize(endpoints['streamable-http'], { token });
      if (!('error' in answer) && answer.status < 400) accepted.push(what);
    }
    if (accepted.length > 0)
      return fail(`${accepted.join(' and ')} got ${transport === 'sse' ? 'an SSE stream' : 'an MCP session'}`, 'verify-accepts-any-token');
    return pass('a garbage token and a forged JWT are refused');
  },
});
