import type { ProviderSettings } from '../../../core/config.ts';
import { defineCheck, fail, firstLine, pass, quote, skip, transportLabel, type Outcome } from '../check.ts';
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
      return refusedValidToken(
        tab,
        login.accessToken,
        `${login.username} signed in, but the server refused the token ${tab.displayName} issued (401)`,
      );
    if (withToken.working.length === 0) return skip('no working transport');
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
    if (!problem)
      return pass(
        `${login.username} signed in at ${tab.displayName}; whoami returned their claims (sub ${sub}) over ${calls.map(([transport]) => transportLabel(transport)).join(' and ')}`,
      );
    const [transport, call] = problem;
    const over = transportLabel(transport);
    if (call instanceof Error) {
      const detail = `over ${over} the session failed at "${call.step}": ${quote(firstLine(call.message))}`;
      return call.status === 401 ? refusedValidToken(tab, login.accessToken, detail) : fail(detail, 'no-mcp-endpoint');
    }
    if (!call.tools.includes('whoami')) return fail(`tools/list lists ${quote(call.tools.join(', ')) || 'no tools'}`, 'whoami-missing');
    if (JSON.stringify(call.result) === notAuthenticated)
      return fail(`with ${login.username}'s valid token, whoami answered ${notAuthenticated} over ${over}`, 'tool-ignores-auth-info');
    // The user's name: OpenID's claim, or the OAuth 2 tab's (GitHub's) `login`.
    const nameClaim = tab.kind === 'oauth' ? 'login' : 'preferred_username';
    return fail(
      `${login.username} signed in (sub ${sub}), but whoami returned sub ${quote(String(call.result?.sub), 80)} (${quote(String(call.result?.[nameClaim] ?? `no ${nameClaim}`), 80)}) over ${over}`,
      'fixed-user-claims',
    );
  },
});

/**
 * The server refused a token the authorization server just issued. On the OAuth 2 tab verifyToken
 * calls a URL of the learner's choosing: when the tab's user endpoint accepts the same token, that
 * URL is the wrong one.
 */
async function refusedValidToken(tab: ProviderSettings, token: string, detail: string): Promise<Outcome> {
  if (tab.kind === 'oauth' && tab.userEndpoint) {
    const asked = await httpGet(new URL(tab.userEndpoint), { token });
    if (!('error' in asked) && asked.status === 200)
      return fail(
        `${detail}; GET ${tab.userEndpoint} with the same token answers 200: that is the user endpoint to call`,
        'user-endpoint-wrong',
      );
  }
  return fail(detail, 'valid-token-refused');
}
