import { randomBytes } from 'node:crypto';
import { test as base } from '@playwright/test';
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { connectAdminClient } from '../../provisioning/admin-client.ts';
import { ensureUser, type LabUser } from '../../provisioning/ensure-user.ts';
import { lab } from './lab.ts';

export interface ThrowawayUser extends LabUser {
  id: string;
}

/**
 * - `admin`: a Keycloak admin client logged in for this test (admin tokens live 60 s, so one per
 *   test rather than one per run).
 * - `throwawayUser`: a fresh user with a complete profile, deleted after the test, for tests that
 *   change a user (disable, log out) without touching the tutorial's testuser.
 */
export const test = base.extend<{ admin: KeycloakAdminClient; throwawayUser: ThrowawayUser }>({
  admin: async ({}, use) => {
    await use(await connectAdminClient({
      baseUrl: lab.keycloak.internalUrl,
      username: lab.keycloak.adminUsername,
      password: lab.keycloak.adminPassword,
    }));
  },
  throwawayUser: async ({ admin }, use) => {
    const suffix = randomBytes(4).toString('hex');
    const user: LabUser = {
      username: `e2e-${suffix}`,
      password: randomBytes(12).toString('base64url'),
      email: `e2e-${suffix}@example.com`,
      firstName: 'Throwaway',
      lastName: suffix,
    };
    await ensureUser(admin, lab.realm.name, lab.keycloak.internalUrl, user);
    const [created] = await admin.users.find({ realm: lab.realm.name, username: user.username, exact: true });
    await use({ ...user, id: created!.id! });
    await admin.auth({ grantType: 'password', clientId: 'admin-cli', username: lab.keycloak.adminUsername, password: lab.keycloak.adminPassword });
    await admin.users.del({ realm: lab.realm.name, id: created!.id! });
  },
});

export { expect } from '@playwright/test';
