/**
 * Checks of the tutorial's "OIDC" and "OAuth 2" tabs (LAB_PROVIDER=oidc|oauth): the lab's own
 * authorization server (lab/providers/) instead of a Keycloak realm. Each check asks the server one
 * HTTP question and turns the answer into a line; the turning is a pure `…Verdict` function, so the
 * unit tier can hold every wording without a server.
 *
 *   <provider> port   /healthz names this tab's kind and the configured issuer
 *   metadata          OIDC: OpenID discovery with userinfo; OAuth 2: RFC 8414 metadata; the issuer
 *   no OpenID discovery   OAuth 2 only: /.well-known/openid-configuration answers 404
 *   client …          the pre-registered client exists and takes the Inspector's redirect URI
 *   registration CORS a page at the Inspector's origin may POST /reg
 *   issuer            the whoami server checks tokens with this tab's issuer
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LabConfig, ProviderKind } from '../../core/config.ts';
import { isPortOpen } from '../../core/ports.ts';
import { type Answer, httpGet, httpRequest } from '../check/probes.ts';
import { ok, problem, skipped, type CheckResult } from './check.ts';
import type { WhoamiHealth } from './service-checks.ts';

type TabKind = Exclude<ProviderKind, 'keycloak' | 'logto'>;

/** How lines name the tabs, as the tutorial does. */
const tabNames: Readonly<Record<TabKind, string>> = { oidc: 'OIDC', oauth: 'OAuth 2' };

/** The command that starts this tab's lab, for fixes. */
const startCommand = (lab: LabConfig) => `\`LAB_PROVIDER=${lab.provider.kind} npm run lab\``;

/** The setting that moves the provider's port (core/config.ts). */
const portSetting = (lab: LabConfig) => (lab.provider.kind === 'oauth' ? 'OAUTH_PROVIDER_PORT' : 'OIDC_PROVIDER_PORT');

/** One check of the tab's authorization server, run only when the port check found it. */
export interface ProviderCheck {
  name: string;
  run(lab: LabConfig): Promise<CheckResult>;
}

/** The name of the first line: "OIDC provider port 8081", "OAuth 2.0 server port 8082". */
export function providerPortCheckName(lab: LabConfig): string {
  return `${lab.provider.displayName.replace(/^the /, '')} port ${lab.provider.port}`;
}

/** Why the checks after the port check are skipped when it failed. */
export function providerAbsentReason(lab: LabConfig): string {
  return `${lab.provider.displayName} is not on port ${lab.provider.port}`;
}

/** The checks that ask the authorization server itself, in the order doctor prints them. */
export function providerChecks(lab: LabConfig): ProviderCheck[] {
  return [
    { name: 'metadata', run: checkProviderMetadata },
    ...(lab.provider.kind === 'oauth' ? [{ name: 'no OpenID discovery', run: checkNoOpenIdDiscovery }] : []),
    { name: `client ${lab.provider.clientId}`, run: checkPreRegisteredClient },
    { name: 'registration CORS', run: checkRegistrationCors },
  ];
}

/** The provider's port: this tab's authorization server, another tab's, nothing, or something else. */
export async function checkProviderPort(lab: LabConfig): Promise<CheckResult> {
  const health = await httpGet(new URL(`${lab.provider.issuer}/healthz`), { timeoutMs: 3_000 });
  const portOpen = 'error' in health ? await isPortOpen(lab.provider.port!) : true;
  return providerPortVerdict(lab, health, portOpen);
}

/** The lab's authorization server answers `/healthz` with `{ status, kind, issuer }` (lab/providers/auth-server.ts). */
export function providerPortVerdict(lab: LabConfig, health: Answer, portOpen: boolean): CheckResult {
  const { issuer, port, kind, displayName } = lab.provider;
  const name = providerPortCheckName(lab);
  const elsewhere = `stop it (\`ss -ltnp 'sport = :${port}'\`) or set ${portSetting(lab)}`;
  if ('error' in health) {
    return portOpen
      ? problem(name, `something listens but does not answer HTTP at ${issuer} (${health.error})`, elsewhere)
      : problem(name, `nothing answers at ${issuer} (${health.error})`, `start the lab with ${startCommand(lab)}`);
  }
  const body = health.json as { status?: unknown; kind?: unknown; issuer?: unknown } | undefined;
  if (health.status !== 200 || body?.status !== 'ok' || typeof body.kind !== 'string' || typeof body.issuer !== 'string') {
    return problem(
      name,
      `taken by something else: ${issuer}/healthz answers HTTP ${health.status}, not like the lab's authorization server`,
      elsewhere,
    );
  }
  if (body.kind !== kind) {
    const other = body.kind in tabNames ? `the ${tabNames[body.kind as TabKind]} tab's server (LAB_PROVIDER=${body.kind})` : body.kind;
    return problem(
      name,
      `${other} answers there, not the ${tabNames[kind as TabKind]} tab's`,
      `stop that lab (\`npm run lab -- down\`, or Ctrl-C where it runs) and start ${startCommand(lab)}, or run doctor with LAB_PROVIDER=${body.kind}`,
    );
  }
  if (body.issuer !== issuer) {
    return problem(
      name,
      `${displayName} there issues tokens as ${body.issuer}, but this lab's settings say ${issuer}`,
      `run doctor with the settings the lab was started with (LAB_PUBLIC_HOST, ${portSetting(lab)}), or start the lab again with these`,
    );
  }
  return ok(name, `${displayName} answers at ${issuer}`);
}

/**
 * Where the tab's code fetches the metadata: OpenID Connect Discovery appends its path to the
 * issuer; RFC 8414 §3.1 puts its own between the issuer's origin and path.
 */
export function metadataUrl(lab: LabConfig): URL {
  const { issuer, type } = lab.provider;
  if (type === 'oidc') return new URL(`${issuer}/.well-known/openid-configuration`);
  const { origin, pathname } = new URL(issuer);
  return new URL(`${origin}/.well-known/oauth-authorization-server${pathname.replace(/\/$/, '')}`);
}

async function checkProviderMetadata(lab: LabConfig): Promise<CheckResult> {
  const url = metadataUrl(lab);
  return metadataVerdict(lab, url, await httpGet(url, { timeoutMs: 3_000 }));
}

export function metadataVerdict(lab: LabConfig, url: URL, answer: Answer): CheckResult {
  const { issuer, type } = lab.provider;
  const name = 'metadata';
  const tabCode = `the tab's \`fetchServerConfig(authIssuer, { type: '${type}' })\``;
  const restart = `start the lab again with ${startCommand(lab)}`;
  if ('error' in answer) return problem(name, `no answer at ${url.href} (${answer.error})`, restart);
  const metadata = answer.json as { issuer?: unknown; userinfo_endpoint?: unknown } | undefined;
  if (answer.status !== 200 || typeof metadata?.issuer !== 'string')
    return problem(name, `${url.href} answers HTTP ${answer.status}, not metadata: ${tabCode} fails, and the server with it`, restart);
  if (metadata.issuer !== issuer)
    return problem(
      name,
      `${url.href} names the issuer ${metadata.issuer}, not ${issuer}: mcp-auth refuses metadata of another issuer (RFC 8414 §3.3)`,
      restart,
    );
  if (type === 'oauth') return ok(name, `RFC 8414 metadata at ${url.href} names ${issuer}`);
  if (typeof metadata.userinfo_endpoint !== 'string')
    return problem(name, `${url.href} names no userinfo_endpoint: the tab's verifyToken has nobody to ask who a token belongs to`, restart);
  return ok(name, `OpenID discovery at ${url.href} names ${issuer}, userinfo ${metadata.userinfo_endpoint}`);
}

async function checkNoOpenIdDiscovery(lab: LabConfig): Promise<CheckResult> {
  const url = new URL(`${lab.provider.issuer}/.well-known/openid-configuration`);
  return noOpenIdDiscoveryVerdict(lab, url, await httpGet(url, { timeoutMs: 3_000 }));
}

/**
 * The OAuth 2 tab's server has RFC 8414 metadata only. Its 404 here is what makes the OIDC tab's
 * `type: 'oidc'` the learner's mistake (the server stops at start), which `lab check` names.
 */
export function noOpenIdDiscoveryVerdict(lab: LabConfig, url: URL, answer: Answer): CheckResult {
  const name = 'no OpenID discovery';
  if ('error' in answer)
    return problem(name, `no answer at ${url.href} (${answer.error})`, `start the lab again with ${startCommand(lab)}`);
  if (answer.status === 404)
    return ok(name, `${url.href} answers 404, as an OAuth 2.0 server's does: the tab's code needs \`type: 'oauth'\``);
  return problem(
    name,
    `${url.href} answers HTTP ${answer.status}, where the OAuth 2 tab's server answers 404: an OpenID provider is on its port`,
    `start the lab again with ${startCommand(lab)}`,
  );
}

/**
 * The authorization request the Inspector makes with Client ID `mcp-inspector` (code, PKCE S256,
 * the tab's scope, its redirect URI), not followed: oidc-provider answers a client and redirect
 * URI it knows with a redirect to its login (303 to /interaction/…), an unknown client with its
 * error page (400, `invalid_client`), a redirect URI the client lacks likewise (`invalid_redirect_uri`).
 */
export function authorizationRequestUrl(lab: LabConfig): URL {
  const url = new URL(`${lab.provider.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: lab.provider.clientId,
    redirect_uri: lab.client.inspectorRedirectUri,
    response_type: 'code',
    scope: lab.provider.scope,
    code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'lab-doctor',
  }).toString();
  return url;
}

async function checkPreRegisteredClient(lab: LabConfig): Promise<CheckResult> {
  return preRegisteredClientVerdict(lab, await httpRequest(authorizationRequestUrl(lab), { redirect: 'manual' }, { timeoutMs: 3_000 }));
}

export function preRegisteredClientVerdict(lab: LabConfig, answer: Answer): CheckResult {
  const { clientId, displayName } = lab.provider;
  const redirectUri = lab.client.inspectorRedirectUri;
  const name = `client ${clientId}`;
  const restart = `start the lab again with ${startCommand(lab)} and the INSPECTOR_PORT (or INSPECTOR_URL) the Inspector uses: it registers ${clientId} with that redirect URI`;
  if ('error' in answer) return problem(name, `no answer to the authorization request (${answer.error})`, restart);
  const location = answer.headers.get('location');
  if (answer.status >= 300 && answer.status < 400 && location) {
    const redirected = new URL(location, lab.provider.issuer);
    const error = redirected.searchParams.get('error');
    if (redirected.href.startsWith(redirectUri) && error) {
      const description = redirected.searchParams.get('error_description');
      return problem(
        name,
        `${displayName} refuses the Inspector's authorization request: ${error}${description ? ` (${description})` : ''}`,
        restart,
      );
    }
    return ok(name, `exists and accepts the Inspector's redirect URI ${redirectUri}`);
  }
  const error = /\b(invalid_[a-z_]+|unauthorized_client|access_denied|server_error)\b/.exec(answer.text)?.[1];
  if (error === 'invalid_client')
    return problem(
      name,
      `${displayName} does not know it ("invalid_client"): the Inspector's Connect with Client ID ${clientId} ends there`,
      restart,
    );
  if (error === 'invalid_redirect_uri')
    return problem(
      name,
      `does not accept the Inspector's redirect URI ${redirectUri} ("invalid_redirect_uri"): the Inspector's Connect ends on that error page`,
      restart,
    );
  return problem(name, `the Inspector's authorization request gets HTTP ${answer.status}${error ? ` (${error})` : ''}`, restart);
}

async function checkRegistrationCors(lab: LabConfig): Promise<CheckResult> {
  const preflight = await httpRequest(
    new URL(`${lab.provider.issuer}/reg`),
    {
      method: 'OPTIONS',
      headers: {
        Origin: lab.client.inspectorWebOrigin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    },
    { timeoutMs: 3_000 },
  );
  return registrationCorsVerdict(lab, preflight);
}

/** A page at the Inspector's origin may register (RFC 7591) only when the preflight names that origin. */
export function registrationCorsVerdict(lab: LabConfig, preflight: Answer): CheckResult {
  const name = 'registration CORS';
  const origin = lab.client.inspectorWebOrigin;
  const fix = `start the lab again with ${startCommand(lab)} and the INSPECTOR_PORT (or INSPECTOR_URL) the Inspector uses: the lab allows that origin`;
  if ('error' in preflight) return problem(name, `no answer to the preflight of POST /reg (${preflight.error})`, fix);
  const allowed = preflight.headers.get('access-control-allow-origin');
  if (allowed === origin || allowed === '*') return ok(name, `a page at ${origin} may register (POST /reg answers its preflight)`);
  return problem(
    name,
    `the preflight of POST /reg from ${origin} gets HTTP ${preflight.status} and ${allowed ? `Access-Control-Allow-Origin ${allowed}` : 'no Access-Control-Allow-Origin'}: a page there cannot register itself`,
    fix,
  );
}

/**
 * The issuer the whoami server checks tokens with (its /healthz) against this tab's. Another one
 * means the server is not this lab's: a server of the other tab left running, or a learner's code
 * naming another issuer. It then sends the Inspector to that authorization server, or answers 503.
 */
export function providerIssuerVerdict(lab: LabConfig, whoami: WhoamiHealth | undefined): CheckResult {
  const name = 'issuer';
  const { issuer, displayName, kind } = lab.provider;
  if (!whoami) return skipped(name, 'no whoami server answers');
  if (whoami.issuer !== issuer) {
    return problem(
      name,
      `the whoami server at ${lab.server.url} checks tokens with ${whoami.issuer}, but this lab's ${displayName.replace(/^the /, '')} (LAB_PROVIDER=${kind}) is ${issuer}: the server is not this lab's`,
      `stop it and start the lab with ${startCommand(lab)}; in your own code, set the issuer to ${issuer}`,
    );
  }
  return ok(name, `${issuer} (${displayName} and the whoami server agree)`);
}
