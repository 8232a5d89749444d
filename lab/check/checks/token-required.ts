import { t } from '../../../core/messages.ts';
import { defineCheck, fail, pass, quote } from '../check.ts';
import { httpGet } from '../probes.ts';

/** After auth is added: a request without a token is refused, with a challenge saying so. */
export const tokenRequired = defineCheck({
  name: 'no token, no answer',
  line: 'checkpoint 1',
  checkpoints: [2],
  needs: ['withoutToken'],
  // Without a bearer middleware in front of the routes no request carries its token as far as
  // whoami: what the token checks would find is that one mistake again.
  provides: { facts: ['tokenRequired'], otherwise: () => t('check.token-required.not-behind-middleware') },
  async run({ facts: { withoutToken }, base }) {
    const { open, sse, mcp } = withoutToken;
    if (open.sse || open['streamable-http']) {
      const unknownPath = await httpGet(new URL('/lab-check-no-such-route', base));
      const bearerSomewhere = !('error' in unknownPath) && unknownPath.status === 401;
      const [first, second] = [open.sse && 'GET /sse', open['streamable-http'] && 'POST /mcp'].filter((where) => where !== false);
      const where = () => (second ? t('check.both', { first: first!, second }) : first!);
      return fail(
        () => t('check.token-required.answered', { where: where() }),
        bearerSomewhere ? 'bearer-after-routes' : 'no-bearer-middleware',
      );
    }
    const challenge =
      ('headers' in sse && sse.headers.get('www-authenticate')) || ('headers' in mcp && mcp.headers.get('www-authenticate'));
    const header = challenge ? quote(challenge, 300) : '';
    return pass(() => t('check.token-required.asks', { header: header || 'none' }), { tokenRequired: true });
  },
});
