import { UnauthorizedError } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright';
import { launchChromium } from '../../browser-login.ts';
import { defineCheck, describeAnswer, fail, firstLine, pass, quote, skip, type CheckContext, type Outcome } from '../../check.ts';
import type { Answer } from '../../probes.ts';
import { LoginRefusedError } from '../../provider-login.ts';
import { parseBearerChallenge, scopesOf } from '../bearer-challenge.ts';
import { BrowserAuthorization, signInThroughServer } from '../browser-authorization.ts';
import { postModern, rpcOutcome } from '../modern-requests.ts';
import { callTool, connectModern } from '../modern-session.ts';
import { signInFailure } from './sign-in.ts';

/**
 * Step-up (SEP-2350): `whoami-admin` needs one scope more than the rest of the server. Asked by
 * testuser, whose token lacks it, the server answers 403 insufficient_scope naming that scope
 * alone; then adminuser (who holds the realm role that Keycloak grants the scope for) signs in
 * with the scope every request needs, and the SDK 2.x client, meeting the same 403, asks Keycloak
 * again for the union of the scopes it has and the one named, through the browser, and retries.
 */
export const stepUp = defineCheck({
  name: 'whoami-admin asks for its scope by step-up',
  line: 'step-up',
  checkpoints: [2],
  needs: ['login', 'modern', 'challenge'],
  async run(context) {
    const { endpoints, facts, options } = context;
    const adminScope = options.config.server.adminScope;
    if (!facts.modern.tools.includes('whoami-admin'))
      return fail(`tools/list lists ${quote(facts.modern.tools.join(', ')) || 'no tools'}`, 'whoami-admin-not-listed');
    const granted = scopesOf(String(facts.login.claims.scope ?? ''));
    if (granted.includes(adminScope))
      return skip(`${facts.login.username}'s token already holds ${adminScope}: the realm gives it to them`);
    const answer = await postModern(
      endpoints['streamable-http'],
      'tools/call',
      { name: 'whoami-admin', arguments: {} },
      { token: facts.login.accessToken },
    );
    const refusal = judgeAdminRefusal(answer, adminScope, `${facts.login.username} (scope ${quote(granted.join(' '), 80)})`);
    if (refusal) return refusal;
    const browser = options.browser ?? (await launchChromium());
    try {
      const steppedUp = await stepUpAsAdmin(context, browser);
      if (steppedUp.result?.status !== 'pass') return steppedUp;
      return pass(`${facts.login.username}: 403 insufficient_scope naming ${adminScope} alone; ${steppedUp.result.detail}`);
    } finally {
      if (!options.browser) await browser.close();
    }
  },
});

/**
 * The verdict on whoami-admin's answer to a token without the admin scope: undefined when it is
 * the step-up challenge (403, insufficient_scope, the admin scope alone), else the failure.
 */
export function judgeAdminRefusal(answer: Answer, adminScope: string, who: string): Outcome | undefined {
  const asked = `whoami-admin, called by ${who}, answered ${describeAnswer(answer)}`;
  if ('error' in answer) return fail(asked, 'no-modern-endpoint');
  if (answer.status < 300) {
    const outcome = rpcOutcome(answer);
    const toolError = outcome && 'result' in outcome && outcome.result.isError === true;
    if (outcome && 'result' in outcome && !toolError) return fail(asked, 'no-scope-challenge');
    // Refused inside the tool (or by the protocol): no challenge a client can act on.
    const said = outcome && 'error' in outcome ? outcome.error : quote(answer.text, 120);
    return fail(`${asked} with an error ("${quote(said, 120)}"), not 403`, 'step-up-challenge-incomplete');
  }
  const header = answer.headers.get('www-authenticate');
  const challenge = parseBearerChallenge(header);
  const withHeader = `${asked}${header ? ` (WWW-Authenticate: ${quote(header, 240)})` : ' with no WWW-Authenticate header'}`;
  if (answer.status !== 403 || challenge?.error !== 'insufficient_scope' || !challenge.scope)
    return fail(withHeader, 'step-up-challenge-incomplete');
  const named = scopesOf(challenge.scope);
  if (named.length !== 1 || named[0] !== adminScope) return fail(withHeader, 'step-up-names-other-scopes');
  return undefined;
}

/** adminuser signs in (the scope every request needs), calls whoami-admin, and the SDK steps up. */
async function stepUpAsAdmin({ endpoints, facts, options }: CheckContext<'challenge'>, browser: Browser): Promise<Outcome> {
  const { config } = options;
  const admin = { username: config.adminUser.username, password: config.adminUser.password };
  const adminScope = config.server.adminScope;
  const endpoint = endpoints['streamable-http'];
  const browserContext = await browser.newContext();
  try {
    const provider = new BrowserAuthorization({
      clientId: config.provider.clientId,
      redirectUri: config.client.testRedirectUri,
      page: await browserContext.newPage(),
      credentials: admin,
    });
    try {
      await signInThroughServer(provider, endpoint, facts.challenge);
    } catch (error) {
      // The realm's step-up user is missing (a realm provisioned for the tutorial's revision).
      if (error instanceof LoginRefusedError)
        return fail(`Keycloak refused ${admin.username}'s sign-in: "${quote(firstLine(error.message))}"`, 'realm-without-step-up');
      return signInFailure(error, admin.username, new URL(endpoint).origin);
    }
    let session: Awaited<ReturnType<typeof connectModern>> | undefined;
    try {
      session = await connectModern(endpoint, { provider });
      let answer: Awaited<ReturnType<typeof callTool>>;
      try {
        answer = await callTool(session, 'whoami-admin');
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        // The SDK met the 403, sent adminuser to Keycloak for more scope and stopped there: finish, then retry.
        await session.transport.finishAuth(provider.takeRedirect());
        if (!provider.grantedScopes().includes(adminScope)) {
          return fail(
            `${admin.username} asked Keycloak again for ${quote(lastScopeAsked(provider), 120)}, and got a token with ${quote(provider.grantedScopes().join(' '), 120)}: no ${adminScope}`,
            'realm-without-step-up',
          );
        }
        answer = await callTool(session, 'whoami-admin');
      }
      const asked =
        provider.authorizations.length > 1
          ? `stepped up (asked Keycloak again for ${quote(lastScopeAsked(provider), 120)})`
          : `had ${adminScope} from the start`;
      if (answer.isError)
        return fail(`${admin.username} ${asked}, but whoami-admin answered an error: ${quote(answer.text, 120)}`, 'step-up-token-refused');
      return pass(`${admin.username} ${asked} and whoami-admin answered`);
    } catch (error) {
      return fail(`${admin.username}'s whoami-admin call failed: ${quote(firstLine((error as Error).message))}`, 'step-up-token-refused');
    } finally {
      await session?.close();
    }
  } finally {
    await browserContext.close();
  }
}

function lastScopeAsked(provider: BrowserAuthorization): string {
  return provider.authorizations.at(-1)?.searchParams.get('scope') ?? '';
}
