import { t } from '../../../../core/messages.ts';
import { defineCheck, fail, firstLine, pass, quote } from '../../check.ts';
import { notAuthenticated } from '../../checks/whoami-answers.ts';
import { toolsListed } from '../../checks/whoami-claims.ts';
import { callTool, connectModern, statusOfError } from '../modern-session.ts';

/** With testuser's token, a 2026-07-28 session (the SDK 2.x client, pinned) calls whoami: testuser's claims. */
export const whoami = defineCheck({
  name: "whoami returns the signed-in user's claims",
  line: 'whoami',
  checkpoints: [2],
  needs: ['login', 'modern'],
  async run({ endpoints, facts: { login, modern } }) {
    if (!modern.tools.includes('whoami')) return fail(toolsListed(modern.tools), 'whoami-not-listed');
    let answer: Awaited<ReturnType<typeof callTool>>;
    try {
      const session = await connectModern(endpoints['streamable-http'], { token: login.accessToken });
      try {
        answer = await callTool(session, 'whoami');
      } finally {
        await session.close();
      }
    } catch (error) {
      const said = quote(firstLine((error as Error).message));
      const detail = () => t('check.whoami.modern-session-failed', { username: login.username, said });
      return fail(detail, statusOfError(error) === 401 ? 'jwt-check-refuses-valid-token' : 'no-modern-endpoint');
    }
    const sub = String(login.claims.sub);
    if (answer.text === notAuthenticated)
      return fail(
        () => t('check.whoami.not-authenticated', { username: login.username, answer: notAuthenticated }),
        'whoami-ignores-auth-info',
      );
    if (answer.json?.sub !== login.claims.sub) {
      const json = answer.json;
      const returned = json ? quote(String(json.sub), 80) : quote(answer.text, 120);
      const named = json?.preferred_username;
      const name = named === undefined || named === null ? undefined : quote(String(named), 80);
      return fail(
        () =>
          json
            ? t('check.whoami.someone-else', {
                username: login.username,
                sub,
                returned,
                who: name ?? t('check.whoami.no-claim', { claim: 'preferred_username' }),
              })
            : t('check.whoami.returned-text', { username: login.username, sub, text: returned }),
        'whoami-wrong-claims',
      );
    }
    return pass(() => t('check.whoami.modern-claims', { username: login.username, sub }));
  },
});
