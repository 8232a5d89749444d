import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { driftedFields, type Change } from './change.ts';

export interface PublicClientSpec {
  clientId: string;
  redirectUris: string[];
  webOrigins: string[];
  /** Direct grants (a user's password for a token): only for a test client, never the Inspector's. */
  directAccessGrants?: boolean;
}

/**
 * The tutorial's "Create client" screen: OpenID Connect, public (the Inspector runs in a browser
 * and keeps no secret), standard flow only, PKCE S256 as OAuth 2.1 requires.
 */
export async function ensurePublicClient(admin: KeycloakAdminClient, realm: string, spec: PublicClientSpec): Promise<Change> {
  const item = `client ${spec.clientId}`;
  const desired = {
    enabled: true,
    protocol: 'openid-connect',
    publicClient: true,
    standardFlowEnabled: true,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: spec.directAccessGrants ?? false,
    serviceAccountsEnabled: false,
    redirectUris: spec.redirectUris,
    webOrigins: spec.webOrigins,
    attributes: { 'pkce.code.challenge.method': 'S256' },
  };
  const [existing] = await admin.clients.find({ realm, clientId: spec.clientId });
  if (!existing?.id) {
    await admin.clients.create({ realm, clientId: spec.clientId, ...desired });
    return { item, action: 'created' };
  }
  const fields = driftedFields(desired, existing);
  if (fields.length === 0) return { item, action: 'unchanged' };
  await admin.clients.update(
    { realm, id: existing.id },
    { ...existing, ...desired, attributes: { ...existing.attributes, ...desired.attributes } },
  );
  return { item, action: 'updated', fields };
}
