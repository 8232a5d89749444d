import { t } from '../../../../core/messages.ts';
import { tokenClaims } from '../../access-tokens.ts';
import { launchChromium, loginForAccessToken } from '../../browser-login.ts';
import {
  defineCheck,
  describeAnswer,
  fail,
  firstLine,
  pass,
  quote,
  skip,
  textOf,
  withChallenge,
  type Outcome,
  type Text,
} from '../../check.ts';
import type { Answer } from '../../probes.ts';
import { parseBearerChallenge } from '../bearer-challenge.ts';
import { postModern } from '../modern-requests.ts';

/**
 * A token of the same realm issued for another resource is refused (RFC 8707, a MUST in
 * 2026-07-28). Keycloak makes one honestly on every version: the token the tutorial's Inspector
 * asks for (its scope, no `resource`) has no mcp:whoami, so the audience mapper that names this
 * server never runs (before 26.6: aud `account`; with resource indicators: the server's client ID,
 * not its URL). A server checks the audience before the scopes, as the SDK's own guard does: the
 * answer is 401 invalid_token, not 403.
 */
export const audience = defineCheck({
  name: 'a token for another resource is refused',
  line: 'audience',
  checkpoints: [2],
  needs: ['challenge', 'login'],
  async run({ base, endpoints, options }) {
    const { config, credentials } = options;
    const browser = options.browser ?? (await launchChromium());
    let token: string;
    try {
      token = await loginForAccessToken(browser, {
        issuer: config.provider.issuer,
        clientId: config.provider.clientId,
        scope: config.provider.scope,
        redirectUri: config.client.testRedirectUri,
        credentials,
      });
    } catch (error) {
      const said = quote(firstLine((error as Error).message));
      return skip(() => t('check.audience.no-foreign-token', { said }));
    } finally {
      if (!options.browser) await browser.close();
    }
    const claims = tokenClaims(token);
    const aud = [claims.aud ?? []].flat().map(String);
    const audList = quote(aud.join(', '), 120);
    if (aud.includes(base.origin)) return skip(() => t('check.audience.every-token-names-server', { aud: audList }));
    const scope = quote(String(claims.scope ?? ''), 80);
    const described = () => t('check.audience.token-for', { aud: audList || 'none', scope });
    return judgeForeignToken(await postModern(endpoints['streamable-http'], 'server/discover', {}, { token }), described);
  },
});

/** The verdict on how the server answered a token whose `aud` does not name it. */
export function judgeForeignToken(answer: Answer, described: Text): Outcome {
  const detail = () => t('check.got', { what: textOf(described), answer: describeAnswer(answer) });
  if ('error' in answer) return fail(detail, 'no-modern-endpoint');
  const header = answer.headers.get('www-authenticate');
  const challenge = parseBearerChallenge(header);
  const withHeader = withChallenge(detail, header, 200);
  if (answer.status === 401 && challenge?.error === 'invalid_token')
    return pass(() => t('check.audience.refused', { what: textOf(described) }));
  if (answer.status < 300) return fail(detail, 'audience-not-checked');
  if (answer.status === 403 && challenge?.error === 'insufficient_scope') return fail(withHeader, 'audience-after-scope');
  return fail(withHeader, 'refusal-not-invalid-token');
}
