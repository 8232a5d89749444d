import { forgedCopy, isJwt, tamperedCopy } from '../access-tokens.ts';
import { defineCheck, fail, pass, skip } from '../check.ts';
import { postInitialize, sseAnswer } from '../probes.ts';

/**
 * A token the authorization server never issued is refused: garbage, and a copy of the user's
 * token made invalid — a forged signature for a JWT (Keycloak's), one character changed for an
 * opaque token (the lab's OIDC and OAuth 2 servers').
 */
export const forgedToken = defineCheck({
  name: 'a token the authorization server never issued is refused',
  line: 'forged token',
  checkpoints: [2],
  needs: ['login', 'withToken'],
  async run({ facts: { login, withToken }, endpoints }) {
    const [transport] = withToken.working;
    if (!transport) return skip('no endpoint accepts even a valid token');
    const fake = isJwt(login.accessToken)
      ? { what: 'a forged JWT (bad signature)', token: forgedCopy(login.accessToken), short: 'a forged JWT' }
      : { what: 'a tampered token (one character changed)', token: tamperedCopy(login.accessToken), short: 'a tampered token' };
    const accepted: string[] = [];
    for (const { what, token } of [{ what: 'a garbage token', token: 'not-a-token-keycloak-issued' }, fake]) {
      const answer =
        transport === 'sse' ? await sseAnswer(endpoints.sse, { token }) : await postInitialize(endpoints['streamable-http'], { token });
      if (!('error' in answer) && answer.status < 400) accepted.push(what);
    }
    if (accepted.length > 0)
      return fail(`${accepted.join(' and ')} got ${transport === 'sse' ? 'an SSE stream' : 'an MCP session'}`, 'verify-accepts-any-token');
    return pass(`a garbage token and ${fake.short} are refused`);
  },
});
