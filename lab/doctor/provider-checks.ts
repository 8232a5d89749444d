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
import { t } from '../../core/messages.ts';
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

/**
 * How lines name the tab's authorization server in the active language: "the OIDC provider" in a
 * sentence (`config.provider.displayName`'s English), "OIDC provider" before "port".
 */
function providerName(lab: LabConfig): string {
  return t('doctor.provider.name', { kind: lab.provider.kind });
}

/** The name of the first line: "OIDC provider port 8081", "OAuth 2.0 server port 8082". */
export function providerPortCheckName(lab: LabConfig): string {
  return t('doctor.name.provider-port', { kind: lab.provider.kind, port: lab.provider.port ?? '' });
}

/** Why the checks after the port check are skipped when it failed. */
export function providerAbsentReason(lab: LabConfig): string {
  return t('doctor.provider.absent', { provider: providerName(lab), port: lab.provider.port ?? '' });
}

/** The checks that ask the authorization server itself, in the order doctor prints them. */
export function providerChecks(lab: LabConfig): ProviderCheck[] {
  return [
    { name: t('doctor.name.metadata'), run: checkProviderMetadata },
    ...(lab.provider.kind === 'oauth' ? [{ name: t('doctor.name.no-openid-discovery'), run: checkNoOpenIdDiscovery }] : []),
    { name: t('doctor.name.client', { clientId: lab.provider.clientId }), run: checkPreRegisteredClient },
    { name: t('doctor.name.registration-cors'), run: checkRegistrationCors },
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
  const { issuer, port, kind } = lab.provider;
  const name = providerPortCheckName(lab);
  const elsewhere = t('doctor.fix.port-taken', { port: port ?? '', setting: portSetting(lab) });
  if ('error' in health) {
    return portOpen
      ? problem(name, t('doctor.port.silent', { url: issuer, error: health.error }), elsewhere)
      : problem(
          name,
          t('doctor.port.nothing', { url: issuer, error: health.error }),
          t('doctor.fix.start-lab', { command: startCommand(lab) }),
        );
  }
  const body = health.json as { status?: unknown; kind?: unknown; issuer?: unknown } | undefined;
  if (health.status !== 200 || body?.status !== 'ok' || typeof body.kind !== 'string' || typeof body.issuer !== 'string') {
    return problem(name, t('doctor.provider-port.stranger', { url: issuer, status: health.status }), elsewhere);
  }
  if (body.kind !== kind) {
    const known = body.kind in tabNames;
    return problem(
      name,
      t('doctor.provider-port.other-tab', {
        known: known ? 'yes' : 'no',
        otherTab: known ? tabNames[body.kind as TabKind] : '',
        otherKind: body.kind,
        tab: tabNames[kind as TabKind],
      }),
      t('doctor.provider-port.other-tab-fix', { command: startCommand(lab), otherKind: body.kind }),
    );
  }
  if (body.issuer !== issuer) {
    return problem(
      name,
      t('doctor.provider-port.other-issuer', { provider: providerName(lab), actual: body.issuer, issuer }),
      t('doctor.fix.same-settings', { settings: `LAB_PUBLIC_HOST, ${portSetting(lab)}` }),
    );
  }
  return ok(name, t('doctor.provider-port.ok', { provider: providerName(lab), issuer }));
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
  const name = t('doctor.name.metadata');
  const code = `\`fetchServerConfig(authIssuer, { type: '${type}' })\``;
  const restart = t('doctor.fix.restart-lab', { command: startCommand(lab) });
  if ('error' in answer) return problem(name, t('doctor.no-answer-at', { url: url.href, error: answer.error }), restart);
  const metadata = answer.json as { issuer?: unknown; userinfo_endpoint?: unknown } | undefined;
  if (answer.status !== 200 || typeof metadata?.issuer !== 'string')
    return problem(name, t('doctor.metadata.not-metadata', { url: url.href, status: answer.status, code }), restart);
  if (metadata.issuer !== issuer)
    return problem(name, t('doctor.metadata.other-issuer', { url: url.href, actual: metadata.issuer, issuer }), restart);
  if (type === 'oauth') return ok(name, t('doctor.metadata.ok-oauth', { url: url.href, issuer }));
  if (typeof metadata.userinfo_endpoint !== 'string') return problem(name, t('doctor.metadata.no-userinfo', { url: url.href }), restart);
  return ok(name, t('doctor.metadata.ok-oidc', { url: url.href, issuer, userinfo: metadata.userinfo_endpoint }));
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
  const name = t('doctor.name.no-openid-discovery');
  const restart = t('doctor.fix.restart-lab', { command: startCommand(lab) });
  if ('error' in answer) return problem(name, t('doctor.no-answer-at', { url: url.href, error: answer.error }), restart);
  if (answer.status === 404) return ok(name, t('doctor.no-openid-discovery.ok', { url: url.href }));
  return problem(name, t('doctor.no-openid-discovery.answered', { url: url.href, status: answer.status }), restart);
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
  const { clientId } = lab.provider;
  const provider = providerName(lab);
  const redirectUri = lab.client.inspectorRedirectUri;
  const name = t('doctor.name.client', { clientId });
  const restart = t('doctor.client.fix', { command: startCommand(lab), clientId });
  if ('error' in answer) return problem(name, t('doctor.client.no-answer', { error: answer.error }), restart);
  const location = answer.headers.get('location');
  if (answer.status >= 300 && answer.status < 400 && location) {
    const redirected = new URL(location, lab.provider.issuer);
    const error = redirected.searchParams.get('error');
    if (redirected.href.startsWith(redirectUri) && error) {
      const description = redirected.searchParams.get('error_description');
      return problem(
        name,
        t('doctor.client.refused', { provider, error, description: description ?? '', hasDescription: description ? 'yes' : 'no' }),
        restart,
      );
    }
    return ok(name, t('doctor.client.ok', { redirectUri }));
  }
  const error = /\b(invalid_[a-z_]+|unauthorized_client|access_denied|server_error)\b/.exec(answer.text)?.[1];
  if (error === 'invalid_client') return problem(name, t('doctor.client.unknown', { provider, clientId }), restart);
  if (error === 'invalid_redirect_uri') return problem(name, t('doctor.client.redirect-uri-refused', { redirectUri }), restart);
  return problem(name, t('doctor.client.status', { status: answer.status, error: error ?? '', hasError: error ? 'yes' : 'no' }), restart);
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
  const name = t('doctor.name.registration-cors');
  const origin = lab.client.inspectorWebOrigin;
  const fix = t('doctor.registration-cors.fix', { command: startCommand(lab) });
  if ('error' in preflight) return problem(name, t('doctor.registration-cors.no-answer', { error: preflight.error }), fix);
  const allowed = preflight.headers.get('access-control-allow-origin');
  if (allowed === origin || allowed === '*') return ok(name, t('doctor.registration-cors.ok', { origin }));
  return problem(
    name,
    t('doctor.registration-cors.refused', {
      origin,
      status: preflight.status,
      allowed: allowed ?? '',
      hasAllowed: allowed ? 'yes' : 'no',
    }),
    fix,
  );
}

/**
 * The issuer the whoami server checks tokens with (its /healthz) against this tab's. Another one
 * means the server is not this lab's: a server of the other tab left running, or a learner's code
 * naming another issuer. It then sends the Inspector to that authorization server, or answers 503.
 */
export function providerIssuerVerdict(lab: LabConfig, whoami: WhoamiHealth | undefined): CheckResult {
  const name = t('doctor.name.issuer');
  const { issuer, kind } = lab.provider;
  if (!whoami) return skipped(name, t('doctor.issuer.no-whoami'));
  if (whoami.issuer !== issuer) {
    return problem(
      name,
      t('doctor.provider-issuer.differs', { url: lab.server.url, actual: whoami.issuer, kind, issuer }),
      t('doctor.provider-issuer.differs-fix', { command: startCommand(lab), issuer }),
    );
  }
  return ok(name, t('doctor.provider-issuer.ok', { issuer, kind }));
}
