/**
 * The token the proxy adds to the suite's requests: a real one from the realm, by a direct grant
 * (the resource owner's password) of the conformance client. Scope `openid` for tutorial mode's
 * userinfo check, the whoami scope for spec mode's; `resource` (RFC 8707) binds it to the server
 * where Keycloak has resource indicators, and is ignored where it has not.
 */
import { LabError } from '../../core/errors.ts';

export interface DirectGrantRequest {
  /** The realm's issuer as this process reaches it, e.g. http://localhost:8080/realms/mcp-realm. */
  issuer: string;
  clientId: string;
  username: string;
  password: string;
  scope: string;
  /** The server the token is for, when its audience is checked (spec mode). */
  resource?: string;
}

export async function directGrantToken({ issuer, clientId, username, password, scope, resource }: DirectGrantRequest): Promise<string> {
  const endpoint = `${issuer}/protocol/openid-connect/token`;
  const body = new URLSearchParams({ grant_type: 'password', client_id: clientId, username, password, scope });
  if (resource) body.set('resource', resource);
  let answer: { access_token?: string; error?: string; error_description?: string };
  let status: number;
  try {
    const response = await fetch(endpoint, { method: 'POST', body, signal: AbortSignal.timeout(15_000) });
    status = response.status;
    answer = (await response.json()) as typeof answer;
  } catch (error) {
    throw new LabError('ERR_KEYCLOAK_UNREACHABLE', `No token from ${endpoint}: ${(error as Error).message}`, { cause: error });
  }
  if (!answer.access_token) {
    throw new LabError(
      'ERR_PROVISIONING',
      `Keycloak gave ${clientId} no token for ${username} (HTTP ${status}: ${answer.error ?? 'no error'} ${answer.error_description ?? ''})`.trim(),
    );
  }
  return answer.access_token;
}
