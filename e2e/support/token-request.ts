import { createHash, randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { signInAndCaptureCode, type Credentials } from './provider-login.ts';

export interface TokenResponse {
  status: number;
  body: { access_token?: string; error?: string; error_description?: string };
}

/**
 * The authorization-code + PKCE flow by hand, the login in the browser: for tests that look at
 * exactly what Keycloak answers (`invalid_target`, an HTTP 500) where an SDK would throw. The
 * RFC 8707 `resource` may differ between the authorization and the token request.
 */
export async function requestTokenAfterLogin(
  page: Page,
  options: {
    issuer: string;
    clientId: string;
    redirectUri: string;
    scope: string;
    credentials: Credentials;
    authorizationResource?: string;
    tokenResource?: string;
    consent?: boolean;
  },
): Promise<TokenResponse> {
  const verifier = randomBytes(32).toString('base64url');
  const authorizationUrl = new URL(`${options.issuer}/protocol/openid-connect/auth`);
  authorizationUrl.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scope,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    ...(options.authorizationResource ? { resource: options.authorizationResource } : {}),
  }).toString();
  const code = await signInAndCaptureCode(page, authorizationUrl, options.redirectUri, options.credentials, { consent: options.consent });
  const response = await fetch(`${options.issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: options.clientId,
      code,
      redirect_uri: options.redirectUri,
      code_verifier: verifier,
      ...(options.tokenResource ? { resource: options.tokenResource } : {}),
    }),
  });
  return { status: response.status, body: (await response.json()) as TokenResponse['body'] };
}
