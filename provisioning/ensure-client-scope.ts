import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import { t } from '../core/messages.ts';
import { driftedFields, type Change } from './change.ts';

/**
 * What the scope's audience mapper puts into `aud`: the server's resource URL itself (a custom
 * audience), or a client of the realm that stands for the server (resource indicators, below).
 */
export type AudienceSpec = { url: string } | { clientId: string };

export interface AudienceScopeSpec {
  /** The scope a client asks for, e.g. mcp:whoami. */
  name: string;
  audience: AudienceSpec;
  /** The client that may ask for it (an optional client scope there). */
  clientId: string;
}

const audienceMapperName = 'audience';

/**
 * An `oidc-audience-mapper` for access tokens: "Included Custom Audience" (a URL) or "Included
 * Client Audience" (a client ID). Both keys are always given, one empty, so switching between the
 * two never leaves the other behind.
 */
export function audienceMapper(audience: AudienceSpec) {
  return {
    protocol: 'openid-connect',
    protocolMapper: 'oidc-audience-mapper',
    config: {
      'included.custom.audience': 'url' in audience ? audience.url : '',
      'included.client.audience': 'clientId' in audience ? audience.clientId : '',
      'access.token.claim': 'true',
      'introspection.token.claim': 'true',
      'id.token.claim': 'false',
    },
  };
}

/** A mapper's config as Keycloak returns it (empty values left out) against the desired one. */
export function mapperDrifted(
  desired: ReturnType<typeof audienceMapper>,
  actual: { protocolMapper?: string; config?: Record<string, unknown> },
): boolean {
  return (
    actual.protocolMapper !== desired.protocolMapper ||
    Object.entries(desired.config).some(([key, value]) => (actual.config?.[key] ?? '') !== value)
  );
}

/**
 * The scope of the whoami server, and how Keycloak binds tokens to it: a client scope whose
 * `oidc-audience-mapper` puts the server into `aud`. Without resource indicators (Keycloak before
 * 26.6, or the feature off) Keycloak ignores the RFC 8707 `resource` parameter, so the mapper adds
 * the server's resource URL itself; with them, it adds the client that stands for the server, and
 * Keycloak narrows `aud` to the `resource` the client asked for (ensure-resource-server.ts). It is an
 * optional scope of the client: only a token asked for with `scope=mcp:whoami` is meant for the
 * whoami server, and the tutorial's `openid profile email` tokens stay as they were.
 */
export async function ensureAudienceClientScope(admin: KeycloakAdminClient, realm: string, spec: AudienceScopeSpec): Promise<Change> {
  const item = `client scope ${spec.name}`;
  const desiredScope = {
    protocol: 'openid-connect',
    attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' },
  };
  const desiredMapper = audienceMapper(spec.audience);

  let scope = await admin.clientScopes.findOneByName({ realm, name: spec.name });
  const created = !scope?.id;
  const fields: string[] = [];
  if (!scope?.id) {
    await admin.clientScopes.create({ realm, name: spec.name, ...desiredScope });
    scope = await admin.clientScopes.findOneByName({ realm, name: spec.name });
  } else {
    const drifted = driftedFields(desiredScope, scope);
    if (drifted.length > 0) {
      await admin.clientScopes.update(
        { realm, id: scope.id },
        { ...scope, ...desiredScope, attributes: { ...scope.attributes, ...desiredScope.attributes } },
      );
      fields.push(...drifted);
    }
  }
  const scopeId = scope!.id!;

  const mappers: ProtocolMapperRepresentation[] = await admin.clientScopes.listProtocolMappers({ realm, id: scopeId });
  const mapper = mappers.find(({ name }) => name === audienceMapperName);
  if (!mapper?.id) {
    await admin.clientScopes.addProtocolMapper({ realm, id: scopeId }, { name: audienceMapperName, ...desiredMapper });
    if (!created) fields.push('audience mapper');
  } else if (mapperDrifted(desiredMapper, mapper)) {
    await admin.clientScopes.updateProtocolMapper({ realm, id: scopeId, mapperId: mapper.id }, { ...mapper, ...desiredMapper });
    fields.push('audience mapper');
  }

  const [client] = await admin.clients.find({ realm, clientId: spec.clientId });
  if (!client?.id) throw new Error(t('provisioning.client.missing', { client: spec.clientId, realm }));
  const optionalScopes = await admin.clients.listOptionalClientScopes({ realm, id: client.id });
  if (!optionalScopes.some(({ id }) => id === scopeId)) {
    // A scope is either default or optional for a client; make it optional.
    await admin.clients.delDefaultClientScope({ realm, id: client.id, clientScopeId: scopeId }).catch(() => undefined);
    await admin.clients.addOptionalClientScope({ realm, id: client.id, clientScopeId: scopeId });
    if (!created) fields.push(`optional scope of ${spec.clientId}`);
  }

  if (created) return { item, action: 'created' };
  return fields.length === 0 ? { item, action: 'unchanged' } : { item, action: 'updated', fields };
}
