/**
 * What `lab check` knows of the access token it got at checkpoint 2, and the fakes it makes from it.
 * Keycloak issues JWTs, whose claims can be read; the lab's own authorization servers of the OIDC
 * and OAuth 2 tabs (lab/providers/) issue opaque tokens, whose user only the server can name: its
 * userinfo endpoint (from its OpenID discovery) or, on the OAuth 2 tab, its user endpoint.
 */
import type { ProviderSettings } from '../../core/config.ts';
import { quote } from './check.ts';
import { httpGet } from './probes.ts';

/** A JWT (RFC 7519): three base64url parts, the second a JSON object. Anything else is opaque. */
export function isJwt(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && parts.every((part) => /^[\w-]*$/.test(part)) && Object.keys(tokenClaims(token)).length > 0;
}

/** The claims of a JWT access token, unverified: the check got it from the authorization server itself. */
export function tokenClaims(token: string): Record<string, unknown> {
  const [, payload = ''] = token.split('.');
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The same JWT with its signature replaced: one Keycloak never issued. */
export function forgedCopy(token: string): string {
  const [header = '', payload = ''] = token.split('.');
  return `${header}.${payload}.${Buffer.from('signed by nobody Keycloak knows').toString('base64url')}`;
}

/** An opaque token with one character changed (the middle one): a token no server issued, that looks like its own. */
export function tamperedCopy(token: string): string {
  const middle = Math.floor(token.length / 2);
  const changed = token[middle] === 'A' ? 'B' : 'A';
  return `${token.slice(0, middle)}${changed}${token.slice(middle + 1)}`;
}

/** The endpoint that says whom a token belongs to: the OAuth 2 tab's user endpoint, else userinfo from OpenID discovery. */
export async function identityEndpoint(tab: ProviderSettings): Promise<URL> {
  if (tab.userEndpoint) return new URL(tab.userEndpoint);
  const discovery = new URL(`${tab.issuer}/.well-known/openid-configuration`);
  const answer = await httpGet(discovery);
  const userinfo = 'error' in answer ? undefined : (answer.json as { userinfo_endpoint?: unknown } | undefined)?.userinfo_endpoint;
  if (typeof userinfo !== 'string' || !URL.canParse(userinfo)) {
    throw new Error(`${discovery.href} names no userinfo endpoint (${'error' in answer ? quote(answer.error) : `HTTP ${answer.status}`})`);
  }
  return new URL(userinfo);
}

/**
 * The claims whoami should return for `token`: a JWT's own, or what the authorization server's
 * identity endpoint answers for an opaque one (as the tutorial's verifyToken asks it).
 */
export async function expectedClaims(token: string, tab: ProviderSettings): Promise<Record<string, unknown>> {
  if (isJwt(token)) return tokenClaims(token);
  const endpoint = await identityEndpoint(tab);
  const answer = await httpGet(endpoint, { token });
  if ('error' in answer || answer.status !== 200 || typeof answer.json !== 'object' || answer.json === null) {
    throw new Error(`GET ${endpoint.href} with the new token answers ${'error' in answer ? quote(answer.error) : `HTTP ${answer.status}`}`);
  }
  return answer.json as Record<string, unknown>;
}
