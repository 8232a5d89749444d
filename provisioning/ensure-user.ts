import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { driftedFields, type Change } from './change.ts';

export interface LabUser {
  username: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
}

/**
 * A user who can log in straight away: enabled, a complete and verified profile and no required
 * actions — since Keycloak 24 a user without email, first or last name is stopped at "Update
 * account information" (the declarative user profile) — and a non-temporary password.
 */
export async function ensureUser(admin: KeycloakAdminClient, realm: string, keycloakUrl: string, user: LabUser): Promise<Change> {
  const item = `user ${user.username}`;
  const desired = {
    enabled: true,
    email: user.email,
    emailVerified: true,
    firstName: user.firstName,
    lastName: user.lastName,
    requiredActions: [] as string[],
  };
  const [existing] = await admin.users.find({ realm, username: user.username, exact: true });
  if (!existing?.id) {
    const { id } = await admin.users.create({ realm, username: user.username, ...desired });
    await setPassword(admin, realm, id, user.password);
    return { item, action: 'created' };
  }
  const fields = driftedFields(desired, existing);
  if (fields.length > 0) await admin.users.update({ realm, id: existing.id }, { ...existing, ...desired });
  // The admin API never returns a password; a login tells whether it still works.
  if (!(await passwordWorks(keycloakUrl, realm, user))) {
    await setPassword(admin, realm, existing.id, user.password);
    fields.push('password');
  }
  return fields.length === 0 ? { item, action: 'unchanged' } : { item, action: 'updated', fields };
}

export async function setPassword(admin: KeycloakAdminClient, realm: string, id: string, password: string): Promise<void> {
  await admin.users.resetPassword({ realm, id, credential: { type: 'password', value: password, temporary: false } });
}

/**
 * A direct-grant login through the realm's built-in public `admin-cli` client. It leaves a
 * session behind, which is harmless and expires.
 */
async function passwordWorks(keycloakUrl: string, realm: string, user: LabUser): Promise<boolean> {
  const response = await fetch(`${keycloakUrl}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: user.username, password: user.password }),
  });
  return response.ok;
}
