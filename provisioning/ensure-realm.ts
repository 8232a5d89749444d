import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { driftedFields, type Change } from './change.ts';

/** The realm the tutorial creates by hand ("Create Realm" → `mcp-realm`), enabled. */
export async function ensureRealm(admin: KeycloakAdminClient, realm: string): Promise<Change> {
  const item = `realm ${realm}`;
  const desired = { enabled: true };
  const existing = await admin.realms.findOne({ realm });
  if (!existing) {
    await admin.realms.create({ realm, ...desired });
    return { item, action: 'created' };
  }
  const fields = driftedFields(desired, existing);
  if (fields.length === 0) return { item, action: 'unchanged' };
  await admin.realms.update({ realm }, { ...existing, ...desired });
  return { item, action: 'updated', fields };
}
