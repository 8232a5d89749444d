import { forgedCopy } from '../../access-tokens.ts';
import { defineCheck, describeAnswer, fail, pass } from '../../check.ts';
import { postModern } from '../modern-requests.ts';

/** A token Keycloak never issued is refused (401): garbage, and testuser's JWT with a forged signature. */
export const forgedToken = defineCheck({
  name: 'a token Keycloak never issued is refused',
  line: 'forged token',
  checkpoints: [2],
  needs: ['login'],
  async run({ endpoints, facts: { login } }) {
    const fakes = [
      { what: 'a garbage token', token: 'not-a-token-keycloak-issued' },
      { what: 'a forged JWT (bad signature)', token: forgedCopy(login.accessToken) },
    ];
    for (const { what, token } of fakes) {
      const answer = await postModern(endpoints['streamable-http'], 'server/discover', {}, { token });
      if ('error' in answer || answer.status !== 401)
        return fail(`${what} got ${describeAnswer(answer)}, not 401`, 'forged-token-accepted');
    }
    return pass('a garbage token and a forged JWT are refused (401)');
  },
});
