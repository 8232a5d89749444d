import type { LabConfig } from '../core/config.ts';
import type { InspectorClientSettings, InspectorServerEntry } from './inspector-process.ts';

/**
 * The whoami server as the tutorial has the learner enter it in the Inspector, once per transport.
 * The tutorial's `manual` profile fills in the OAuth settings: Client ID, Scopes, and no refresh
 * token (asking for one adds `offline_access` and Keycloak's consent screen, which the tutorial
 * never shows); the OAuth 2 tab's Scopes are its `profile`. `dynamic` and `cimd` leave them empty: the Inspector gets its client itself.
 * The 2026-07-28 server (MCP_REVISION) is one entry, Streamable HTTP in the Inspector's modern era,
 * its Scopes with `mcp:whoami`.
 */
export function labInspectorServers(lab: LabConfig): Record<string, InspectorServerEntry> {
  const oauth =
    lab.client.registration === 'manual'
      ? { clientId: lab.provider.clientId, scopes: lab.provider.scope, requestRefreshToken: false }
      : undefined;
  if (lab.server.revision === '2026-07-28') {
    // No tutorial step to practise here: the scopes already include the one that binds the token to the server.
    const modernOauth = oauth ? { ...oauth, scopes: `${oauth.scopes} ${lab.server.whoamiScope}` } : undefined;
    return {
      'whoami-2026': {
        type: 'streamable-http',
        url: `${lab.server.url}/mcp`,
        protocolEra: 'modern',
        ...(modernOauth ? { oauth: modernOauth } : {}),
      },
    };
  }
  return {
    'whoami-sse': { type: 'sse', url: `${lab.server.url}/sse`, ...(oauth ? { oauth } : {}) },
    'whoami-http': { type: 'streamable-http', url: `${lab.server.url}/mcp`, ...(oauth ? { oauth } : {}) },
  };
}

/** The `cimd` profile: the Inspector's Client Settings › "Use Client ID Metadata Document", with the lab's document. */
export function labInspectorClientSettings(lab: LabConfig): InspectorClientSettings | undefined {
  return lab.client.registration === 'cimd' ? { cimd: { enabled: true, clientMetadataUrl: lab.cimd.inspectorDocumentUrl } } : undefined;
}
