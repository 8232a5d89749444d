import { t } from '../../../core/messages.ts';
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
    if (!transport) return skip(() => t('check.forged-token.no-endpoint'));
    const fake = isJwt(login.accessToken)
      ? { what: 'forgedJwt', token: forgedCopy(login.accessToken) }
      : { what: 'tampered', token: tamperedCopy(login.accessToken) };
    const accepted: string[] = [];
    for (const { what, token } of [{ what: 'garbage', token: 'not-a-token-keycloak-issued' }, fake]) {
      const answer =
        transport === 'sse' ? await sseAnswer(endpoints.sse, { token }) : await postInitialize(endpoints['streamable-http'], { token });
      if (!('error' in answer) && answer.status < 400) accepted.push(what);
    }
    if (accepted.length > 0)
      return fail(
        () =>
          t('check.forged-token.accepted', {
            tokens:
              accepted.length === 2
                ? t('check.forged-token.both', { first: fakeName(accepted[0]!), second: fakeName(accepted[1]!) })
                : fakeName(accepted[0]!),
            transport,
          }),
        'verify-accepts-any-token',
      );
    return pass(() => t('check.forged-token.refused', { fake: fake.what }));
  },
});

/** A fake token in words: `garbage`, `forgedJwt` (bad signature) or `tampered` (one character changed). */
function fakeName(what: string): string {
  return t('check.forged-token.fake', { what });
}
