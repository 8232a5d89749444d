import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { Change } from './change.ts';

/** Deletes the realm with everything in it; a realm already gone is not an error. */
export async function removeRealm(admin: KeycloakAdminClient, realm: string): Promise<Change> {
  const item = `realm ${realm}`;
  if (!(await admin.realms.findOne({ realm }))) return { item, action: 'unchanged' };
  await admin.realms.del({ realm });
  return { item, action: 'deleted' };
}
