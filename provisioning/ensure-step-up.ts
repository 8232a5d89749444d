/**
 * Step-up with a role (the 2026-07-28 server's `whoami-admin`): a realm role, a client scope only
 * its holders get, and a second user who holds it. Keycloak applies a client scope that has role
 * scope mappings only for users with one of those roles; for anyone else the scope is left out of
 * the token without an error, and the server's 403 `insufficient_scope` stands.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { t } from '../core/messages.ts';
import type { Change } from './change.ts';
import { ensureAudienceClientScope, type AudienceSpec } from './ensure-client-scope.ts';
import { ensureUser, type LabUser } from './ensure-user.ts';

export interface StepUpSpec {
  /** The realm role that grants the scope, e.g. whoami-admin. */
  role: string;
  /** The scope a client asks for by step-up, e.g. whoami:admin; bound to the server like `mcp:whoami`. */
  scope: string;
  audience: AudienceSpec;
  /** The client that may ask for it (an optional client scope there). */
  clientId: string;
  /** The user who holds the role. */
  user: LabUser;
}

export async function ensureStepUp(admin: KeycloakAdminClient, realm: string, keycloakUrl: string, spec: StepUpSpec): Promise<Change[]> {
  const roleChange = await ensureRealmRole(admin, realm, spec.role, `Holders may have the ${spec.scope} scope in their tokens`);
  const role = await admin.roles.findOneByName({ realm, name: spec.role });
  if (!role?.id || !role.name) throw new Error(t('provisioning.realm-role.missing', { role: spec.role, realm }));
  const roleRef = { id: role.id, name: role.name };

  const [scopeChange, userChange] = await Promise.all([
    (async () => {
      const change = await ensureAudienceClientScope(admin, realm, { name: spec.scope, audience: spec.audience, clientId: spec.clientId });
      const scope = await admin.clientScopes.findOneByName({ realm, name: spec.scope });
      const mapped = await admin.clientScopes.listRealmScopeMappings({ realm, id: scope!.id! });
      if (mapped.some(({ name }) => name === spec.role)) return change;
      await admin.clientScopes.addRealmScopeMappings({ realm, id: scope!.id! }, [roleRef]);
      return change.action === 'created'
        ? change
        : { item: change.item, action: 'updated' as const, fields: [...(change.fields ?? []), `limited to role ${spec.role}`] };
    })(),
    (async () => {
      const change = await ensureUser(admin, realm, keycloakUrl, spec.user);
      const [user] = await admin.users.find({ realm, username: spec.user.username, exact: true });
      const held = await admin.users.listRealmRoleMappings({ realm, id: user!.id! });
      if (held.some(({ name }) => name === spec.role)) return change;
      await admin.users.addRealmRoleMappings({ realm, id: user!.id!, roles: [roleRef] });
      return change.action === 'created'
        ? change
        : { item: change.item, action: 'updated' as const, fields: [...(change.fields ?? []), `role ${spec.role}`] };
    })(),
  ]);
  return [roleChange, scopeChange, userChange];
}

async function ensureRealmRole(admin: KeycloakAdminClient, realm: string, name: string, description: string): Promise<Change> {
  const item = `realm role ${name}`;
  if (await admin.roles.findOneByName({ realm, name })) return { item, action: 'unchanged' };
  await admin.roles.create({ realm, name, description });
  return { item, action: 'created' };
}
