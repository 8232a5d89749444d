import { t } from '../../../../core/messages.ts';
import { defineCheck, describeAnswer, fail, pass } from '../../check.ts';
import { postModern } from '../modern-requests.ts';

/** What a page on another site would send: its own Host (DNS rebinding) or Origin. */
export const foreignHost = 'evil.example';
export const foreignOrigin = `http://${foreignHost}`;

/**
 * DNS rebinding: a request naming a Host the server does not answer to, or coming from a foreign
 * Origin, is refused (403) — with testuser's valid token, so that only the header can be the reason.
 */
export const hostAndOrigin = defineCheck({
  name: 'a foreign Host and a foreign Origin are refused',
  line: 'host and origin',
  checkpoints: [2],
  needs: ['login'],
  async run({ endpoints, facts: { login } }) {
    const ask = (headers: Record<string, string>) =>
      postModern(endpoints['streamable-http'], 'server/discover', {}, { token: login.accessToken, headers });
    const host = await ask({ Host: foreignHost });
    const origin = await ask({ Origin: foreignOrigin });
    const refused = (answer: typeof host) => !('error' in answer) && answer.status === 403;
    if (!refused(host))
      return fail(
        () => t('check.host-and-origin.answered', { header: `Host: ${foreignHost}`, answer: describeAnswer(host) }),
        'host-not-checked',
      );
    if (!refused(origin))
      return fail(
        () => t('check.host-and-origin.answered', { header: `Origin: ${foreignOrigin}`, answer: describeAnswer(origin) }),
        'origin-not-checked',
      );
    return pass(() => t('check.host-and-origin.refused', { host: `Host: ${foreignHost}`, origin: `Origin: ${foreignOrigin}` }));
  },
});
