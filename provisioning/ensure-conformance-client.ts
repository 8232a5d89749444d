/**
 * `lab-conformance`: the realm's client for the conformance runs, made before them and removed
 * after. Public, like the Inspector's: the `authorization` command's code flow (PKCE S256) to its
 * loopback callback, and direct grants for the token the proxy adds — the suite's server scenarios
 * need a token but no login page, and only a test client may mint one from a password.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import type { Change } from './change.ts';
import { ensurePublicClient } from './ensure-client.ts';
import { audienceMapper, mapperDrifted } from './ensure-client-scope.ts';
import { resourceServerClientId } from './provision.ts';

export const conformanceClientId = 'lab-conformance';

export interface ConformanceClientSpec {
  /** The `authorization` command's callback, http://127.0.0.1:<port>/callback. */
  callbackUri: string;
  /** The whoami scope (mcp:whoami): optional here, as for the Inspector, so a token asks for it. */
  whoamiScope: string;
  /**
   * Keycloak narrows `aud` to a `resource` only from a client already in it (docs/keycloak-versions.md):
   * with resource indicators the client carries an audience naming the server's client, as the
   * Inspector's does, or its scope-less code flow would end in Keycloak's HTTP 500 (no `aud`).
   */
  resourceIndicators: boolean;
}

const serverAudienceMapperName = `audience ${resourceServerClientId}`;

export async function ensureConformanceClient(admin: KeycloakAdminClient, realm: string, spec: ConformanceClientSpec): Promise<Change> {
  const client = await ensurePublicClient(admin, realm, {
    clientId: conformanceClientId,
    redirectUris: [spec.callbackUri],
    webOrigins: [],
    directAccessGrants: true,
  });
  const [{ id }] = (await admin.clients.find({ realm, clientId: conformanceClientId })) as [{ id: string }];
  const fields = [
    ...(client.fields ?? []),
    ...(await ensureWhoamiScope(admin, realm, id, spec.whoamiScope)),
    ...(await ensureServerAudience(admin, realm, id, spec.resourceIndicators)),
  ];
  if (client.action === 'created') return client;
  return fields.length === 0 ? { item: client.item, action: 'unchanged' } : { item: client.item, action: 'updated', fields };
}

export async function removeConformanceClient(admin: KeycloakAdminClient, realm: string): Promise<void> {
  const [existing] = await admin.clients.find({ realm, clientId: conformanceClientId });
  if (existing?.id) await admin.clients.del({ realm, id: existing.id });
}

async function ensureWhoamiScope(admin: KeycloakAdminClient, realm: string, id: string, name: string): Promise<string[]> {
  const scope = await admin.clientScopes.findOneByName({ realm, name });
  if (!scope?.id)
    throw new LabError('ERR_PROVISIONING', t('provisioning.client-scope.missing', { scope: name, realm }), {
      hint: t('provisioning.client-scope.missing.hint'),
    });
  const optional = await admin.clients.listOptionalClientScopes({ realm, id });
  if (optional.some((known) => known.id === scope.id)) return [];
  await admin.clients.addOptionalClientScope({ realm, id, clientScopeId: scope.id });
  return [`optional scope ${name}`];
}

async function ensureServerAudience(admin: KeycloakAdminClient, realm: string, id: string, wanted: boolean): Promise<string[]> {
  const mappers = await admin.clients.listProtocolMappers({ realm, id });
  const mapper = mappers.find(({ name }) => name === serverAudienceMapperName);
  const desired = audienceMapper({ clientId: resourceServerClientId });
  if (!wanted) {
    if (!mapper?.id) return [];
    await admin.clients.delProtocolMapper({ realm, id, mapperId: mapper.id });
    return [`no audience ${resourceServerClientId}`];
  }
  if (!mapper?.id) await admin.clients.addProtocolMapper({ realm, id }, { name: serverAudienceMapperName, ...desired });
  else if (mapperDrifted(desired, mapper))
    await admin.clients.updateProtocolMapper({ realm, id, mapperId: mapper.id }, { ...mapper, ...desired });
  else return [];
  return [`audience ${resourceServerClientId}`];
}
