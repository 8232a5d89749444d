import { t } from '../../../../core/messages.ts';
import { UnauthorizedError } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright';
import { launchChromium } from '../../browser-login.ts';
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
  type CheckContext,
  type Outcome,
  type Text,
} from '../../check.ts';
import { toolsListed } from '../../checks/whoami-claims.ts';
import type { Answer } from '../../probes.ts';
import { LoginRefusedError, signInLocale } from '../../provider-login.ts';
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
    if (!facts.modern.tools.includes('whoami-admin')) return fail(toolsListed(facts.modern.tools), 'whoami-admin-not-listed');
    const granted = scopesOf(String(facts.login.claims.scope ?? ''));
    if (granted.includes(adminScope))
      return skip(() => t('check.step-up.already-holds', { username: facts.login.username, scope: adminScope }));
    const answer = await postModern(
      endpoints['streamable-http'],
      'tools/call',
      { name: 'whoami-admin', arguments: {} },
      { token: facts.login.accessToken },
    );
    const grantedList = quote(granted.join(' '), 80);
    const refusal = judgeAdminRefusal(answer, adminScope, () =>
      t('check.step-up.who', { username: facts.login.username, scopes: grantedList }),
    );
    if (refusal) return refusal;
    const browser = options.browser ?? (await launchChromium());
    try {
      const steppedUp = await stepUpAsAdmin(context, browser);
      const stepped = steppedUp.result;
      if (stepped?.status !== 'pass') return steppedUp;
      return pass(() => t('check.step-up.passed', { username: facts.login.username, scope: adminScope, detail: stepped.detail }));
    } finally {
      if (!options.browser) await browser.close();
    }
  },
});

/**
 * The verdict on whoami-admin's answer to a token without the admin scope: undefined when it is
 * the step-up challenge (403, insufficient_scope, the admin scope alone), else the failure.
 */
export function judgeAdminRefusal(answer: Answer, adminScope: string, who: Text): Outcome | undefined {
  const asked = () => t('check.step-up.admin-answered', { who: textOf(who), answer: describeAnswer(answer) });
  if ('error' in answer) return fail(asked, 'no-modern-endpoint');
  if (answer.status < 300) {
    const outcome = rpcOutcome(answer);
    const toolError = outcome && 'result' in outcome && outcome.result.isError === true;
    if (outcome && 'result' in outcome && !toolError) return fail(asked, 'no-scope-challenge');
    // Refused inside the tool (or by the protocol): no challenge a client can act on.
    const said = quote(outcome && 'error' in outcome ? outcome.error : quote(answer.text, 120), 120);
    return fail(() => t('check.step-up.error-not-403', { asked: asked(), said }), 'step-up-challenge-incomplete');
  }
  const header = answer.headers.get('www-authenticate');
  const challenge = parseBearerChallenge(header);
  const withHeader = withChallenge(asked, header, 240, true);
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
  const browserContext = await browser.newContext({ locale: signInLocale });
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
        return fail(
          () => t('check.sign-in.refused', { Name: 'Keycloak', username: admin.username, said: quote(firstLine(error.message)) }),
          'realm-without-step-up',
        );
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
          const asked = quote(lastScopeAsked(provider), 120);
          const got = quote(provider.grantedScopes().join(' '), 120);
          return fail(
            () => t('check.step-up.no-admin-scope', { username: admin.username, asked, got, scope: adminScope }),
            'realm-without-step-up',
          );
        }
        answer = await callTool(session, 'whoami-admin');
      }
      const steppedUp = provider.authorizations.length > 1;
      const lastAsked = quote(lastScopeAsked(provider), 120);
      const how = () =>
        steppedUp
          ? t('check.step-up.stepped-up', { username: admin.username, asked: lastAsked })
          : t('check.step-up.from-the-start', { username: admin.username, scope: adminScope });
      if (answer.isError) {
        const said = quote(answer.text, 120);
        return fail(() => t('check.step-up.admin-error', { how: how(), said }), 'step-up-token-refused');
      }
      return pass(() => t('check.step-up.admin-answered-ok', { how: how() }));
    } catch (error) {
      const said = quote(firstLine((error as Error).message));
      return fail(() => t('check.step-up.call-failed', { username: admin.username, said }), 'step-up-token-refused');
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
