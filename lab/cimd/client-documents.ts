import type { LabConfig } from '../../core/config.ts';
import type { ClientIdMetadataDocument } from './document-server.ts';

/**
 * The MCP Inspector's document for the `cimd` profile: the learner types its URL into the
 * Inspector (OAuth Client ID Metadata Document), and Keycloak takes it as the Inspector's client.
 * Its scopes are the ones the lab's clients may ask for.
 */
export function inspectorClientDocument(lab: LabConfig): ClientIdMetadataDocument {
  // The Inspector's "Request refresh token" (on by default) asks for offline_access too.
  return clientDocument(lab.cimd.inspectorDocumentUrl, 'MCP Inspector (MCP Auth Lab)', [lab.client.inspectorRedirectUri], lab, [
    'offline_access',
  ]);
}

export function clientDocument(
  url: string,
  name: string,
  redirectUris: string[],
  lab: LabConfig,
  extraScopes: string[] = [],
): ClientIdMetadataDocument {
  return {
    client_id: url,
    client_name: name,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: [lab.client.scope, lab.server.whoamiScope, ...extraScopes].join(' '),
  };
}
