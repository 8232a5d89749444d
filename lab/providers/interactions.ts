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
 * "Authorize <client name>" with buttons "Allow" and "Deny". The pages choose their language as
 * Keycloak's do: the client's `ui_locales`, else the browser's Accept-Language, else the server
 * process's language (LAB_LOCALE, as runMain reads it). Those words come from the catalogue
 * (core/messages/<locale>/providers.json), where lab check's sign-in finds them in every language
 * (lab/check/provider-login.ts). What goes back to the client (error_description) stays English.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import { errors, type default as Provider } from 'oidc-provider';
import { activeLocale, inLocale, t, withLocale, type Locale, type MessageKey, type MessageValues } from '../../core/messages.ts';
import { pageFonts } from '../../core/page-fonts.ts';
import { escapeHtml } from '../escape-html.ts';
import type { LabUser } from './lab-users.ts';

/** The sign-in page's heading and its refusal in English; the pages speak the process's language (`t`). */
export const signInHeading = inLocale('en', 'providers.sign-in.heading');
export const wrongPasswordMessage = inLocale('en', 'providers.sign-in.refused');

/** The interaction routes for `provider`, signing in `users`; mount before `provider.callback()`. */
export function interactionRoutes(provider: Provider, users: readonly LabUser[]): Router {
  const usersByName = new Map(users.map((user) => [user.username, user]));
  const router = express.Router();
  const formBody = express.urlencoded({ extended: false });

  router.get('/interaction/:uid', async (req, res) => {
    const { uid, prompt, params } = await provider.interactionDetails(req, res);
    res.set('Cache-Control', 'no-store');
    const locale = pageLocale(req, params);
    if (prompt.name === 'login') {
      res.send(withLocale(locale, () => signInPage(uid)));
      return;
    }
    const clientId = String(params.client_id);
    const client = await provider.Client.find(clientId);
    const scopes = String(params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    res.send(withLocale(locale, () => consentPage(uid, client?.clientName ?? clientId, scopes)));
  });

  router.post('/interaction/:uid/login', formBody, async (req, res) => {
    const { uid, prompt, params } = await provider.interactionDetails(req, res);
    if (prompt.name !== 'login') {
      res.status(400).send(errorPage('invalid_request', t('providers.sign-in.already-done')));
      return;
    }
    const username = String(req.body?.username ?? '');
    const user = usersByName.get(username);
    if (!user || !sameSecret(user.password, String(req.body?.password ?? ''))) {
      // Keycloak's behaviour: the same page, the user name kept, one message for either mistake.
      const page = withLocale(pageLocale(req, params), () => signInPage(uid, { username, refusal: t('providers.sign-in.refused') }));
      res.set('Cache-Control', 'no-store').send(page);
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
  });

  router.post('/interaction/:uid/confirm', async (req, res) => {
    const { prompt, params, session, grantId } = await provider.interactionDetails(req, res);
    if (prompt.name !== 'consent' || !session) {
      res.status(400).send(errorPage('invalid_request', t('providers.consent.nothing')));
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

/** The languages a page can speak, by the tags a client or browser asks with. */
const pageLocales: Record<string, Locale> = { 'zh-CN': 'zh-CN', 'zh-Hans': 'zh-CN', 'zh-SG': 'zh-CN', zh: 'zh-CN', en: 'en' };

/**
 * Keycloak's order: `ui_locales` (OIDC Core 3.1.2.1), then Accept-Language (express negotiates it,
 * `en-US` finding `en`), then the server's own language.
 */
function pageLocale(req: Request, params: { ui_locales?: unknown }): Locale {
  for (const tag of String(params.ui_locales ?? '').split(' ')) {
    const asked = Object.entries(pageLocales).find(([name]) => name.toLowerCase() === tag.toLowerCase());
    if (asked) return asked[1];
  }
  const accepted = req.headers['accept-language'] ? req.acceptsLanguages(Object.keys(pageLocales)) : false;
  return accepted ? pageLocales[accepted]! : activeLocale();
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
  res.status(500).send(errorPage('server_error', t('providers.error.server-failed')));
};

/** The password check in constant time, so a wrong password takes as long as a nearly right one. */
function sameSecret(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/** The sign-in page; after a refused password, with the name typed and the refusal. */
export function signInPage(uid: string, { username = '', refusal }: { username?: string; refusal?: string } = {}): string {
  const text = (key: MessageKey) => escapeHtml(t(key));
  return labPage(
    t('providers.sign-in.heading'),
    `${refusal ? `<p role="alert" id="error">${escapeHtml(refusal)}</p>` : ''}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
<p><label>${text('providers.sign-in.username')} <input name="username" autocomplete="username" value="${escapeHtml(username)}" required autofocus></label></p>
<p><label>${text('providers.sign-in.password')} <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">${text('providers.sign-in.submit')}</button></p>
</form>`,
  );
}

/** The consent page: what the client asks for, Allow and Deny. */
export function consentPage(uid: string, clientName: string, scopes: readonly string[]): string {
  const action = (step: string) => `/interaction/${encodeURIComponent(uid)}/${step}`;
  const asks = htmlMessage(
    'providers.consent.asks',
    { client: clientName, scopes: scopes.join(', ') },
    { hasScopes: scopes.length ? 'yes' : 'no' },
  );
  return labPage(
    t('providers.consent.heading', { client: clientName }),
    `<p>${asks}</p>
<form method="post" action="${action('confirm')}"><button type="submit">${escapeHtml(t('providers.consent.allow'))}</button></form>
<form method="post" action="${action('abort')}"><button type="submit">${escapeHtml(t('providers.consent.deny'))}</button></form>`,
  );
}

/** An error page of the lab's authorization servers: the OAuth error code and what it means. */
export function errorPage(error: string, description: string): string {
  const line = htmlMessage('providers.error.line', { description }, {}, { error: `<strong>${escapeHtml(error)}</strong>` });
  return labPage(t('providers.error.heading'), `<p id="error">${line}</p>`);
}

/**
 * A message as HTML: its own text escaped, and its values: `text` ones escaped, `choices` (a
 * select's) as they are, `markup` ones put in as the HTML they already are. The values go through
 * the message as private-use markers, so that a placeholder's place is the language's.
 */
function htmlMessage(
  key: MessageKey,
  text: Readonly<Record<string, string>>,
  choices: MessageValues = {},
  markup: Readonly<Record<string, string>> = {},
): string {
  const pieces: string[] = [];
  const marked: MessageValues = { ...choices };
  const mark = (name: string, html: string) => {
    marked[name] = `\u{E000}${pieces.length}\u{E001}`;
    pieces.push(html);
  };
  for (const [name, value] of Object.entries(text)) mark(name, escapeHtml(value));
  for (const [name, html] of Object.entries(markup)) mark(name, html);
  return escapeHtml(t(key, marked)).replace(/\u{E000}(\d+)\u{E001}/gu, (_, index: string) => pieces[Number(index)]!);
}

/** Enough style for a learner to recognise a login page; inline, so the page needs nothing else. */
function pageStyle(): string {
  return [
    `body{font-family:${pageFonts(activeLocale()).join(',')};background:#f3f4f6;margin:0}`,
    'main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}',
    'h1{font-size:1.4rem;margin-top:0}',
    'label{display:block}input{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem}',
    'button{padding:.5rem 1.25rem;margin:.25rem .5rem .25rem 0}form{display:inline}form[action$="/login"]{display:block}',
    '[role=alert]{color:#b91c1c}',
  ].join('');
}

/**
 * A page of the lab's authorization servers, in the process's language (`lang`, fonts with Han
 * characters in Chinese); `bodyHtml` is already escaped, the title is not.
 */
export function labPage(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="${activeLocale()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${pageStyle()}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${bodyHtml}
</main></body></html>
`;
}
