import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { driftedFields, type Change } from './change.ts';

/**
 * In a classroom the admin console is opened on the instructor's machine (Keycloak's
 * `hostname-admin`), while the frontend URL is the students' one. `hostname-admin` alone moves the
 * console's pages, but the console logs in through the master realm's frontend URL, which the gate
 * refuses: the master realm's own frontendUrl puts that login on the instructor's machine too.
 */
export async function ensureAdminConsoleUrl(admin: KeycloakAdminClient, adminConsoleUrl: string): Promise<Change> {
  const item = 'realm master (admin console login)';
  const master = await admin.realms.findOne({ realm: 'master' });
  const desired = { attributes: { frontendUrl: adminConsoleUrl } };
  const fields = driftedFields(desired, master ?? {});
  if (fields.length === 0) return { item, action: 'unchanged' };
  await admin.realms.update({ realm: 'master' }, { ...master, attributes: { ...master?.attributes, frontendUrl: adminConsoleUrl } });
  return { item, action: 'updated', fields: ['frontendUrl'] };
}
