import { randomBytes } from 'node:crypto';
import { test as base } from '@playwright/test';
import { startInspector, type StartedInspector } from '../../lab/inspector-process.ts';
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
 * - `inspector`: the MCP Inspector's web UI, fresh for the test (its own HOME, an empty server
 *   list, no stored OAuth state), on the one Inspector port whose redirect URI Keycloak knows; so
 *   only one test at a time may use it (see inspector-checkpoints.spec.ts).
 */
export const test = base.extend<{ admin: KeycloakAdminClient; throwawayUser: ThrowawayUser; inspector: StartedInspector }>({
  admin: async ({}, use) => {
    await use(await connectAdminClient({
      baseUrl: lab.keycloak.adminUrl,
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
    await ensureUser(admin, lab.realm.name, lab.keycloak.adminUrl, user);
    const [created] = await admin.users.find({ realm: lab.realm.name, username: user.username, exact: true });
    await use({ ...user, id: created!.id! });
    await admin.auth({ grantType: 'password', clientId: 'admin-cli', username: lab.keycloak.adminUsername, password: lab.keycloak.adminPassword });
    await admin.users.del({ realm: lab.realm.name, id: created!.id! });
  },
  inspector: async ({}, use, testInfo) => {
    const inspector = await startInspector({
      port: lab.inspector.port,
      sandboxPort: lab.inspector.sandboxPort,
      appOriginPort: lab.inspector.appOriginPort,
      apiToken: randomBytes(16).toString('hex'),
      homeDir: testInfo.outputPath('inspector-home'),
      servers: {},
      logPath: testInfo.outputPath('inspector.log'),
      readyTimeoutMs: lab.inspector.readyTimeoutMs,
    });
    await use(inspector);
    await inspector.stop();
  },
});

export { expect } from '@playwright/test';
