import { t } from '../../../core/messages.ts';
import type { ProviderSettings } from '../../../core/config.ts';
import { defineCheck, fail, firstLine, pass, quote, skip, textOf, transportLabel, type Outcome, type Text } from '../check.ts';
import { providerName, tNamed } from '../diagnoses.ts';
import { callWhoami, type SessionError, type Transport, type WhoamiCall } from '../mcp-session.ts';
import { httpGet } from '../probes.ts';
import { notAuthenticated } from './whoami-answers.ts';

/** Checkpoint 2: with the user's token, whoami returns that user's claims, over every transport. */
export const whoamiClaims = defineCheck({
  name: "whoami returns the signed-in user's claims",
  line: 'checkpoint 2',
  checkpoints: [2],
  needs: ['login', 'withToken'],
  async run({ facts: { login, withToken }, endpoints, options: { config } }) {
    const tab = config.provider;
    if (withToken.refused)
      return refusedValidToken(tab, login.accessToken, () =>
        tNamed('check.whoami.token-refused', { username: login.username, name: providerName(tab) }),
      );
    if (withToken.working.length === 0) return skip(() => t('check.whoami.no-working-transport'));
    const calls: Array<[Transport, WhoamiCall | SessionError]> = [];
    for (const transport of withToken.working) {
      calls.push([
        transport,
        await callWhoami(endpoints[transport], transport, { token: login.accessToken }).catch((error: unknown) => error as SessionError),
      ]);
    }
    const sub = String(login.claims.sub);
    const problem = calls.find(
      ([, call]) =>
        call instanceof Error ||
        !call.tools.includes('whoami') ||
        JSON.stringify(call.result) === notAuthenticated ||
        call.result?.sub !== login.claims.sub,
    );
    if (!problem) {
      const [first, second] = calls.map(([transport]) => transportLabel(transport));
      return pass(() =>
        tNamed('check.whoami.claims', {
          username: login.username,
          name: providerName(tab),
          sub,
          transports: second ? t('check.both', { first: first!, second }) : first!,
        }),
      );
    }
    const [transport, call] = problem;
    const over = transportLabel(transport);
    if (call instanceof Error) {
      const said = quote(firstLine(call.message));
      const detail = () => t('check.whoami.session-failed', { over, step: call.step, said });
      return call.status === 401 ? refusedValidToken(tab, login.accessToken, detail) : fail(detail, 'no-mcp-endpoint');
    }
    if (!call.tools.includes('whoami')) return fail(toolsListed(call.tools), 'whoami-missing');
    if (JSON.stringify(call.result) === notAuthenticated)
      return fail(
        () => t('check.whoami.not-authenticated-over', { username: login.username, answer: notAuthenticated, over }),
        'tool-ignores-auth-info',
      );
    // The user's name: OpenID's claim, or the OAuth 2 tab's (GitHub's) `login`.
    const nameClaim = tab.kind === 'oauth' ? 'login' : 'preferred_username';
    const returned = quote(String(call.result?.sub), 80);
    const named = call.result?.[nameClaim];
    const who = named === undefined || named === null ? undefined : quote(String(named), 80);
    return fail(
      () =>
        t('check.whoami.someone-else-over', {
          username: login.username,
          sub,
          returned,
          who: who ?? t('check.whoami.no-claim', { claim: nameClaim }),
          over,
        }),
      'fixed-user-claims',
    );
  },
});

/**
 * The server refused a token the authorization server just issued. On the OAuth 2 tab verifyToken
 * calls a URL of the learner's choosing: when the tab's user endpoint accepts the same token, that
 * URL is the wrong one.
 */
async function refusedValidToken(tab: ProviderSettings, token: string, detail: Text): Promise<Outcome> {
  if (tab.kind === 'oauth' && tab.userEndpoint) {
    const asked = await httpGet(new URL(tab.userEndpoint), { token });
    if (!('error' in asked) && asked.status === 200)
      return fail(() => t('check.whoami.user-endpoint-answers', { detail: textOf(detail), url: tab.userEndpoint! }), 'user-endpoint-wrong');
  }
  return fail(detail, 'valid-token-refused');
}

/** What tools/list listed, in words: the tools, or none. */
export function toolsListed(tools: string[]): Text {
  const listed = quote(tools.join(', '));
  return () => t('check.whoami.tools-listed', { tools: listed || 'none' });
}
