/**
 * The sign-in and consent pages of the lab's authorization servers, on oidc-provider's interaction
 * API (`interactionDetails`, `interactionFinished`). oidc-provider's own `devInteractions` are off:
 * they sign anyone in under any name and never look at the password.
 *
 *   GET  /interaction/:uid           the sign-in page, or the consent page once signed in
 *   POST /interaction/:uid/login     checks user name and password; a wrong pair stays on the page
 *   POST /interaction/:uid/confirm   "Allow": grants the scopes and claims the client asked for
 *   POST /interaction/:uid/abort     "Deny": back to the client with access_denied
 *
 * The wording is what the lab's browser tests look for: heading "Sign in to MCP Auth Lab", fields
 * labelled "Username" and "Password", button "Sign in", a refusal in role="alert"; heading
 * "Authorize <client name>" with buttons "Allow" and "Deny".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { errors, type default as Provider } from 'oidc-provider';
import { escapeHtml } from '../escape-html.ts';
import type { LabUser } from './lab-users.ts';

export const signInHeading = 'Sign in to MCP Auth Lab';
export const wrongPasswordMessage = 'Invalid username or password.';

/** The interaction routes for `provider`, signing in `users`; mount before `provider.callback()`. */
export function interactionRoutes(provider: Provider, users: readonly LabUser[]): Router {
  const usersByName = new Map(users.map((user) => [user.username, user]));
  const router = express.Router();
  const formBody = express.urlencoded({ extended: false });

  router.get('/interaction/:uid', async (req, res) => {
    const { uid, prompt, params } = await provider.interactionDetails(req, res);
    res.set('Cache-Control', 'no-store');
    if (prompt.name === 'login') {
      res.send(signInPage(uid));
      return;
    }
    const clientId = String(params.client_id);
    const client = await provider.Client.find(clientId);
    const scopes = String(params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    res.send(consentPage(uid, client?.clientName ?? clientId, scopes));
  });

  router.post('/interaction/:uid/login', formBody, async (req, res) => {
    const { uid, prompt } = await provider.interactionDetails(req, res);
    if (prompt.name !== 'login') {
      res.status(400).send(errorPage('invalid_request', 'This sign-in is already done; start again from the application.'));
      return;
    }
    const username = String(req.body?.username ?? '');
    const user = usersByName.get(username);
    if (!user || !sameSecret(user.password, String(req.body?.password ?? ''))) {
      // Keycloak's behaviour: the same page, the user name kept, one message for either mistake.
      res.set('Cache-Control', 'no-store').send(signInPage(uid, { username, refusal: wrongPasswordMessage }));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
  });

  router.post('/interaction/:uid/confirm', async (req, res) => {
    const { prompt, params, session, grantId } = await provider.interactionDetails(req, res);
    if (prompt.name !== 'consent' || !session) {
      res.status(400).send(errorPage('invalid_request', 'Nothing to consent to; start again from the application.'));
      return;
    }
    const grant =
      (grantId ? await provider.Grant.find(grantId) : undefined) ??
      new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details as ConsentDetails;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  });

  router.post('/interaction/:uid/abort', async (req, res) => {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    );
  });

  router.use('/interaction', interactionErrorPage);
  return router;
}

/** What the consent prompt lists as not granted yet (oidc-provider's `prompt.details`). */
interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

/**
 * An interaction that expired, or a page opened without its cookie (another browser), is
 * oidc-provider's SessionNotFound and the like: a lab page with its status, not express's stack.
 */
const interactionErrorPage: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof errors.OIDCProviderError) {
    res.status(error.statusCode).send(errorPage(error.error, error.error_description ?? ''));
    return;
  }
  console.error('interaction failed:', error);
  res.status(500).send(errorPage('server_error', 'The authorization server failed; see its log.'));
};

/** The password check in constant time, so a wrong password takes as long as a nearly right one. */
function sameSecret(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function signInPage(uid: string, { username = '', refusal }: { username?: string; refusal?: string } = {}): string {
  return labPage(
    signInHeading,
    `${refusal ? `<p role="alert" id="error">${escapeHtml(refusal)}</p>` : ''}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
<p><label>Username <input name="username" autocomplete="username" value="${escapeHtml(username)}" required autofocus></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form>`,
  );
}

function consentPage(uid: string, clientName: string, scopes: readonly string[]): string {
  const action = (step: string) => `/interaction/${encodeURIComponent(uid)}/${step}`;
  return labPage(
    `Authorize ${clientName}`,
    `<p>${escapeHtml(clientName)} asks for: ${scopes.map(escapeHtml).join(', ') || '(no scopes)'}</p>
<form method="post" action="${action('confirm')}"><button type="submit">Allow</button></form>
<form method="post" action="${action('abort')}"><button type="submit">Deny</button></form>`,
  );
}

/** An error page of the lab's authorization servers: the OAuth error code and what it means. */
export function errorPage(error: string, description: string): string {
  return labPage('Something went wrong', `<p id="error"><strong>${escapeHtml(error)}</strong>: ${escapeHtml(description)}</p>`);
}

/** Enough style for a learner to recognise a login page; inline, so the page needs nothing else. */
const pageStyle = [
  'body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0}',
  'main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}',
  'h1{font-size:1.4rem;margin-top:0}',
  'label{display:block}input{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem}',
  'button{padding:.5rem 1.25rem;margin:.25rem .5rem .25rem 0}form{display:inline}form[action$="/login"]{display:block}',
  '[role=alert]{color:#b91c1c}',
].join('');

/** A page of the lab's authorization servers; `bodyHtml` is already escaped, the title is not. */
export function labPage(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${pageStyle}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${bodyHtml}
</main></body></html>
`;
}
