import { defineCheck, fail, firstLine, pass, quote } from '../../check.ts';
import { notAuthenticated } from '../../checks/whoami-answers.ts';
import { callTool, connectModern, statusOfError } from '../modern-session.ts';

/** With testuser's token, a 2026-07-28 session (the SDK 2.x client, pinned) calls whoami: testuser's claims. */
export const whoami = defineCheck({
  name: "whoami returns the signed-in user's claims",
  line: 'whoami',
  checkpoints: [2],
  needs: ['login', 'modern'],
  async run({ endpoints, facts: { login, modern } }) {
    if (!modern.tools.includes('whoami'))
      return fail(`tools/list lists ${quote(modern.tools.join(', ')) || 'no tools'}`, 'whoami-not-listed');
    let answer: Awaited<ReturnType<typeof callTool>>;
    try {
      const session = await connectModern(endpoints['streamable-http'], { token: login.accessToken });
      try {
        answer = await callTool(session, 'whoami');
      } finally {
        await session.close();
      }
    } catch (error) {
      const detail = `the 2026-07-28 session with ${login.username}'s token failed: ${quote(firstLine((error as Error).message))}`;
      return fail(detail, statusOfError(error) === 401 ? 'jwt-check-refuses-valid-token' : 'no-modern-endpoint');
    }
    const sub = String(login.claims.sub);
    if (answer.text === notAuthenticated)
      return fail(`with ${login.username}'s valid token, whoami answered ${notAuthenticated}`, 'whoami-ignores-auth-info');
    if (answer.json?.sub !== login.claims.sub) {
      const who = answer.json
        ? `sub ${quote(String(answer.json.sub), 80)} (${quote(String(answer.json.preferred_username ?? 'no preferred_username'), 80)})`
        : quote(answer.text, 120);
      return fail(`${login.username} signed in (sub ${sub}), but whoami returned ${who}`, 'whoami-wrong-claims');
    }
    return pass(
      `${login.username} signed in at Keycloak through the SDK 2.x client; whoami returned their claims (sub ${sub}) over 2026-07-28`,
    );
  },
});
