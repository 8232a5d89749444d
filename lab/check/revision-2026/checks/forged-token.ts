import { t } from '../../../../core/messages.ts';
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
      { what: 'garbage', token: 'not-a-token-keycloak-issued' },
      { what: 'forgedJwt', token: forgedCopy(login.accessToken) },
    ];
    for (const { what, token } of fakes) {
      const answer = await postModern(endpoints['streamable-http'], 'server/discover', {}, { token });
      if ('error' in answer || answer.status !== 401)
        return fail(
          () => t('check.forged-token.not-401', { what: t('check.forged-token.fake', { what }), answer: describeAnswer(answer) }),
          'forged-token-accepted',
        );
    }
    return pass(() => t('check.forged-token.refused-401'));
  },
});
