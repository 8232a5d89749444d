import { createHash, randomBytes } from 'node:crypto';

/** An authorization request (code + PKCE S256) at the realm `issuer` names, for a test's own login. */
export function authorizationUrl(issuer: string, clientId: string, redirectUri: string): URL {
  const url = new URL(`${issuer}/protocol/openid-connect/auth`);
  const verifier = randomBytes(32).toString('base64url');
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return url;
}
