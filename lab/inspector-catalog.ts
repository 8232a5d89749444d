import type { LabConfig } from '../core/config.ts';
import type { InspectorServerEntry } from './inspector-process.ts';

/**
 * The whoami server as the tutorial has the learner enter it in the Inspector, once per transport,
 * with the OAuth settings filled in: Client ID, Scopes, and no refresh token (asking for one adds
 * `offline_access` and Keycloak's consent screen, which the tutorial never shows).
 */
export function labInspectorServers(lab: LabConfig): Record<string, InspectorServerEntry> {
  const oauth = { clientId: lab.client.id, scopes: lab.client.scope, requestRefreshToken: false };
  return {
    'whoami-sse': { type: 'sse', url: `${lab.server.url}/sse`, oauth },
    'whoami-http': { type: 'streamable-http', url: `${lab.server.url}/mcp`, oauth },
  };
}
