import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { t } from '../core/messages.ts';
import { driftedFields, type Change } from './change.ts';
import { audienceMapper, mapperDrifted } from './ensure-client-scope.ts';

/**
 * The whoami server as Keycloak's `resource-indicators` feature (26.6+, RFC 8707) needs to know it.
 * Keycloak does not put a `resource` into `aud` by itself: it narrows `aud` to the resource only
 * when some client already in the token's `aud` has the attribute `resource_url` equal to it;
 * otherwise the token request fails with `invalid_target` (or, when the token has no `aud` at all,
 * with HTTP 500 — a Keycloak bug, see docs/keycloak-versions.md).
 */
export interface ResourceServerSpec {
  /** The client that stands for the server, e.g. whoami-server; it logs in nobody. */
  clientId: string;
  /** The server's resource identifier, e.g. http://localhost:3001. */
  resourceUrl: string;
  /**
   * Clients whose every token carries the server in `aud` (a mapper of their own), e.g. the
   * tutorial's mcp-inspector, whose `openid profile email` tokens do not ask for the whoami scope.
   * Other clients get it through the scope's mapper (ensureAudienceClientScope).
   */
  audienceOf: string[];
}

const resourceAttribute = 'resource_url';

function mapperName(serverClientId: string): string {
  return `audience ${serverClientId}`;
}

/** Creates or repairs the server's client and the audience mappers of `audienceOf`. */
export async function ensureResourceServer(admin: KeycloakAdminClient, realm: string, spec: ResourceServerSpec): Promise<Change> {
  const item = `resource server ${spec.clientId}`;
  const desired = {
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
    attributes: { [resourceAttribute]: spec.resourceUrl },
  };
  const fields: string[] = [];
  const [existing] = await admin.clients.find({ realm, clientId: spec.clientId });
  const created = !existing?.id;
  if (!existing?.id) {
    await admin.clients.create({ realm, clientId: spec.clientId, name: `The whoami MCP server (${spec.resourceUrl})`, ...desired });
  } else {
    const drifted = driftedFields(desired, existing);
    if (drifted.length > 0) {
      await admin.clients.update(
        { realm, id: existing.id },
        { ...existing, ...desired, attributes: { ...existing.attributes, ...desired.attributes } },
      );
      fields.push(...drifted);
    }
  }

  const desiredMapper = audienceMapper({ clientId: spec.clientId });
  for (const clientId of spec.audienceOf) {
    const [client] = await admin.clients.find({ realm, clientId });
    if (!client?.id) throw new Error(t('provisioning.client.missing', { client: clientId, realm }));
    const mapper = (client.protocolMappers ?? []).find(({ name }) => name === mapperName(spec.clientId));
    if (!mapper?.id) {
      await admin.clients.addProtocolMapper({ realm, id: client.id }, { name: mapperName(spec.clientId), ...desiredMapper });
      if (!created) fields.push(`audience of ${clientId}`);
    } else if (mapperDrifted(desiredMapper, mapper)) {
      await admin.clients.updateProtocolMapper({ realm, id: client.id, mapperId: mapper.id }, { ...mapper, ...desiredMapper });
      fields.push(`audience of ${clientId}`);
    }
  }
  if (created) return { item, action: 'created' };
  return fields.length === 0 ? { item, action: 'unchanged' } : { item, action: 'updated', fields };
}

/**
 * Without resource indicators the server needs no client of its own, and a mapper naming it would
 * only add a meaningless `aud`: both go (a Keycloak restarted without the feature, say).
 */
export async function removeResourceServer(
  admin: KeycloakAdminClient,
  realm: string,
  spec: Pick<ResourceServerSpec, 'clientId' | 'audienceOf'>,
): Promise<Change | undefined> {
  let removed = false;
  for (const clientId of spec.audienceOf) {
    const [client] = await admin.clients.find({ realm, clientId });
    const mapper = (client?.protocolMappers ?? []).find(({ name }) => name === mapperName(spec.clientId));
    if (client?.id && mapper?.id) {
      await admin.clients.delProtocolMapper({ realm, id: client.id, mapperId: mapper.id });
      removed = true;
    }
  }
  const [server] = await admin.clients.find({ realm, clientId: spec.clientId });
  if (server?.id) {
    await admin.clients.del({ realm, id: server.id });
    removed = true;
  }
  return removed ? { item: `resource server ${spec.clientId}`, action: 'deleted' } : undefined;
}
