import { jsonRpcRequest, mcpEndpoint, mcpPostHeaders } from '../check/mcp-requests.ts';
import type { TargetLoad } from './comparison.ts';

/** One stateless Streamable HTTP `tools/call whoami`, as a load; `expect` is text every answer must hold. */
export function whoamiCall(serverUrl: string, accessToken: string | undefined, expect: string): TargetLoad {
  return {
    url: mcpEndpoint(serverUrl, 'streamable-http').href,
    method: 'POST',
    headers: { ...mcpPostHeaders, ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify(jsonRpcRequest('tools/call', { name: 'whoami', arguments: {} })),
    expect,
  };
}

/**
 * What a whoami answer for `username` holds: the name, quoted, in the claims the tool's text
 * carries as JSON (escaped inside the JSON-RPC answer; the Python server's JSON has a space after
 * each colon, so the key is left out). `bench-student-1` does not match `bench-student-10`'s.
 */
export function whoamiAnswerFor(username: string): string {
  return `\\"${username}\\"`;
}

/** Keycloak's userinfo endpoint, called as the tutorial-mode server calls it: GET with the bearer token. */
export function userinfoCall(userinfoEndpoint: string, accessToken: string, username: string): TargetLoad {
  return {
    url: userinfoEndpoint,
    method: 'GET',
    headers: { Authorization: `Bearer ${accessToken}` },
    expect: `"preferred_username":"${username}"`,
  };
}

/** Keycloak's userinfo endpoint, from its OpenID metadata. */
export async function userinfoEndpoint(issuer: string): Promise<string> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
  const { userinfo_endpoint: endpoint } = (await response.json()) as { userinfo_endpoint?: string };
  if (!endpoint) throw new Error(`${issuer} publishes no userinfo_endpoint`);
  return endpoint;
}
