/**
 * `lab doctor`'s lines on the OIDC and OAuth 2 tabs (lab/doctor/provider-checks.ts), from answers
 * made here: what each HTTP answer of the tab's authorization server (or of a stranger on its port)
 * becomes. providers/provider-doctor.spec.ts runs the command against the real servers.
 */
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../core/config.ts';
import type { Answer } from '../../lab/check/probes.ts';
import { formatResult } from '../../lab/doctor/check.ts';
import {
  authorizationRequestUrl,
  metadataUrl,
  metadataVerdict,
  noOpenIdDiscoveryVerdict,
  preRegisteredClientVerdict,
  providerChecks,
  providerIssuerVerdict,
  providerPortVerdict,
  registrationCorsVerdict,
} from '../../lab/doctor/provider-checks.ts';

const oidc = loadConfig({ LAB_PROVIDER: 'oidc' });
const oauth = loadConfig({ LAB_PROVIDER: 'oauth' });

function answer(status: number, body: unknown = '', headers: Record<string, string> = {}): Answer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: new Headers(headers), text, json: typeof body === 'string' ? undefined : body };
}
const refused: Answer = { error: 'ECONNREFUSED' };
const line = formatResult;

test("the provider port: this tab's server, nothing, something silent, a stranger, the other tab's server, another issuer", () => {
  const health = (body: object) => answer(200, { status: 'ok', ...body });

  expect(line(providerPortVerdict(oidc, health({ kind: 'oidc', issuer: 'http://localhost:8081' }), true))).toBe(
    '✓ OIDC provider port 8081: the OIDC provider answers at http://localhost:8081',
  );
  expect(line(providerPortVerdict(oauth, refused, false))).toBe(
    '✗ OAuth 2.0 server port 8082: nothing answers at http://localhost:8082 (ECONNREFUSED) — fix: start the lab with `LAB_PROVIDER=oauth npm run lab`',
  );
  expect(line(providerPortVerdict(oidc, { error: 'other side closed' }, true))).toBe(
    "✗ OIDC provider port 8081: something listens but does not answer HTTP at http://localhost:8081 (other side closed) — fix: stop it (`ss -ltnp 'sport = :8081'`) or set OIDC_PROVIDER_PORT",
  );
  expect(line(providerPortVerdict(oauth, answer(404, 'Cannot GET /healthz'), true))).toBe(
    "✗ OAuth 2.0 server port 8082: taken by something else: http://localhost:8082/healthz answers HTTP 404, not like the lab's authorization server — fix: stop it (`ss -ltnp 'sport = :8082'`) or set OAUTH_PROVIDER_PORT",
  );
  expect(line(providerPortVerdict(oidc, health({ kind: 'oauth', issuer: 'http://localhost:8081' }), true))).toContain(
    "✗ OIDC provider port 8081: the OAuth 2 tab's server (LAB_PROVIDER=oauth) answers there, not the OIDC tab's — fix: ",
  );
  expect(line(providerPortVerdict(oidc, health({ kind: 'oidc', issuer: 'http://127.0.0.1:8081' }), true))).toContain(
    "✗ OIDC provider port 8081: the OIDC provider there issues tokens as http://127.0.0.1:8081, but this lab's settings say http://localhost:8081 — fix: ",
  );
});

test("metadata: where each tab's code fetches it, and what makes it unusable", () => {
  expect(metadataUrl(oidc).href).toBe('http://localhost:8081/.well-known/openid-configuration');
  expect(metadataUrl(oauth).href).toBe('http://localhost:8082/.well-known/oauth-authorization-server');

  const discovery = { issuer: 'http://localhost:8081', userinfo_endpoint: 'http://localhost:8081/me' };
  expect(line(metadataVerdict(oidc, metadataUrl(oidc), answer(200, discovery)))).toBe(
    '✓ metadata: OpenID discovery at http://localhost:8081/.well-known/openid-configuration names http://localhost:8081, userinfo http://localhost:8081/me',
  );
  expect(line(metadataVerdict(oidc, metadataUrl(oidc), answer(200, { issuer: 'http://localhost:8081' })))).toContain(
    "names no userinfo_endpoint: the tab's verifyToken has nobody to ask",
  );
  expect(line(metadataVerdict(oidc, metadataUrl(oidc), answer(200, { ...discovery, issuer: 'http://127.0.0.1:8081' })))).toContain(
    'names the issuer http://127.0.0.1:8081, not http://localhost:8081: mcp-auth refuses metadata of another issuer (RFC 8414 §3.3)',
  );
  expect(line(metadataVerdict(oauth, metadataUrl(oauth), answer(200, { issuer: 'http://localhost:8082' })))).toBe(
    '✓ metadata: RFC 8414 metadata at http://localhost:8082/.well-known/oauth-authorization-server names http://localhost:8082',
  );
  expect(line(metadataVerdict(oauth, metadataUrl(oauth), answer(404, { error: 'not_found' })))).toContain(
    "answers HTTP 404, not metadata: the tab's `fetchServerConfig(authIssuer, { type: 'oauth' })` fails",
  );
});

test("the OAuth 2 tab's server has no OpenID discovery: its 404 is ok, an answer is a problem", () => {
  const url = new URL('http://localhost:8082/.well-known/openid-configuration');

  expect(noOpenIdDiscoveryVerdict(oauth, url, answer(404, { error: 'not_found' })).status).toBe('ok');
  expect(line(noOpenIdDiscoveryVerdict(oauth, url, answer(200, { issuer: 'http://localhost:8082' })))).toContain(
    "answers HTTP 200, where the OAuth 2 tab's server answers 404: an OpenID provider is on its port",
  );
});

test("the pre-registered client: the Inspector's authorization request, with PKCE, the tab's scope and redirect URI", () => {
  const url = authorizationRequestUrl(oauth);

  expect(url.origin + url.pathname).toBe('http://localhost:8082/auth');
  expect(Object.fromEntries(url.searchParams)).toMatchObject({
    client_id: 'mcp-inspector',
    redirect_uri: 'http://localhost:6274/oauth/callback',
    response_type: 'code',
    scope: 'profile',
    code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    code_challenge_method: 'S256',
  });
  expect(authorizationRequestUrl(oidc).searchParams.get('scope')).toBe('openid profile email');
});

test("the pre-registered client: to the login page is ok; oidc-provider's invalid_client, invalid_redirect_uri and a refusal are named", () => {
  const errorPage = (code: string) => `<h1>Something went wrong</h1><p id="error"><strong>${code}</strong>: …</p>`;

  expect(line(preRegisteredClientVerdict(oidc, answer(303, '', { location: '/interaction/abc' })))).toBe(
    "✓ client mcp-inspector: exists and accepts the Inspector's redirect URI http://localhost:6274/oauth/callback",
  );
  expect(line(preRegisteredClientVerdict(oidc, answer(400, errorPage('invalid_client'))))).toContain(
    '✗ client mcp-inspector: the OIDC provider does not know it ("invalid_client")',
  );
  expect(line(preRegisteredClientVerdict(oauth, answer(400, errorPage('invalid_redirect_uri'))))).toContain(
    '✗ client mcp-inspector: does not accept the Inspector\'s redirect URI http://localhost:6274/oauth/callback ("invalid_redirect_uri")',
  );
  const refusal = 'http://localhost:6274/oauth/callback?error=invalid_scope&error_description=scope+not+allowed&state=lab-doctor';
  expect(line(preRegisteredClientVerdict(oauth, answer(303, '', { location: refusal })))).toContain(
    "✗ client mcp-inspector: the OAuth 2.0 server refuses the Inspector's authorization request: invalid_scope (scope not allowed)",
  );
  expect(line(preRegisteredClientVerdict(oauth, answer(500, 'oops')))).toContain("the Inspector's authorization request gets HTTP 500");
});

test("registration CORS: the preflight must name the Inspector's origin", () => {
  expect(line(registrationCorsVerdict(oidc, answer(204, '', { 'access-control-allow-origin': 'http://localhost:6274' })))).toBe(
    '✓ registration CORS: a page at http://localhost:6274 may register (POST /reg answers its preflight)',
  );
  expect(line(registrationCorsVerdict(oidc, answer(204)))).toContain(
    'the preflight of POST /reg from http://localhost:6274 gets HTTP 204 and no Access-Control-Allow-Origin: a page there cannot register itself',
  );
});

test("the whoami server's issuer against the tab's: agreeing, another one, no server to ask", () => {
  const whoami = (issuer: string) => ({ mode: 'tutorial', sdk: 'node', issuer });

  expect(line(providerIssuerVerdict(oauth, whoami('http://localhost:8082')))).toBe(
    '✓ issuer: http://localhost:8082 (the OAuth 2.0 server and the whoami server agree)',
  );
  expect(line(providerIssuerVerdict(oidc, whoami('http://localhost:8082')))).toBe(
    "✗ issuer: the whoami server at http://localhost:3001 checks tokens with http://localhost:8082, but this lab's OIDC provider (LAB_PROVIDER=oidc) is http://localhost:8081: the server is not this lab's — fix: stop it and start the lab with `LAB_PROVIDER=oidc npm run lab`; in your own code, set the issuer to http://localhost:8081",
  );
  expect(line(providerIssuerVerdict(oidc, undefined))).toBe('- issuer: skipped (no whoami server answers)');
});

test('the OAuth 2 tab has one check more than the OIDC tab: no OpenID discovery', () => {
  expect(providerChecks(oidc).map(({ name }) => name)).toEqual(['metadata', 'client mcp-inspector', 'registration CORS']);
  expect(providerChecks(oauth).map(({ name }) => name)).toEqual([
    'metadata',
    'no OpenID discovery',
    'client mcp-inspector',
    'registration CORS',
  ]);
});
