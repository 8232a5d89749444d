import { defineCheck, fail, firstLine, pass, quote, skip, transportLabel } from '../check.ts';
import { callWhoami, type SessionError, type Transport, type WhoamiCall } from '../mcp-session.ts';
import { notAuthenticated } from './whoami-answers.ts';

/** Checkpoint 2: with the user's token, whoami returns that user's claims, over every transport. */
export const whoamiClaims = defineCheck({
  name: "whoami returns the signed-in user's claims",
  line: 'checkpoint 2',
  checkpoints: [2],
  needs: ['login', 'withToken'],
  async run({ facts: { login, withToken }, endpoints }) {
    if (withToken.refused)
      return fail(`${login.username} signed in, but the server refused the token Keycloak issued (401)`, 'valid-token-refused');
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
        `${login.username} signed in at Keycloak; whoami returned their claims (sub ${sub}) over ${calls.map(([transport]) => transportLabel(transport)).join(' and ')}`,
      );
    const [transport, call] = problem;
    const over = transportLabel(transport);
    if (call instanceof Error)
      return fail(
        `over ${over} the session failed at "${call.step}": ${quote(firstLine(call.message))}`,
        call.status === 401 ? 'valid-token-refused' : 'no-mcp-endpoint',
      );
    if (!call.tools.includes('whoami')) return fail(`tools/list lists ${quote(call.tools.join(', ')) || 'no tools'}`, 'whoami-missing');
    if (JSON.stringify(call.result) === notAuthenticated)
      return fail(`with ${login.username}'s valid token, whoami answered ${notAuthenticated} over ${over}`, 'tool-ignores-auth-info');
    return fail(
      `${login.username} signed in (sub ${sub}), but whoami returned sub ${quote(String(call.result?.sub), 80)} (${quote(String(call.result?.preferred_username ?? 'no preferred_username'), 80)}) over ${over}`,
      'fixed-user-claims',
    );
  },
});
