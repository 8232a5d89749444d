import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { repoRoot } from '../../core/config.ts';
import { test as base } from '@playwright/test';
import { startInspector, type InspectorServerEntry, type StartedInspector } from '../../lab/inspector-process.ts';
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { connectLongLivedAdminClient } from '../../provisioning/admin-client.ts';
import { ensureUser, type LabUser } from '../../provisioning/ensure-user.ts';
import { lab } from './lab.ts';

export interface ThrowawayUser extends LabUser {
  id: string;
}

/**
 * - `admin`: the worker's Keycloak admin client: one admin session per worker, logged in again when
 *   its token gets old (admin tokens live 60 s).
 * - `throwawayUser`: a fresh user with a complete profile, deleted after the test, for tests that
 *   change a user (disable, log out) without touching the tutorial's testuser.
 * - `inspector`: the MCP Inspector's web UI, fresh for the test (its own HOME, the server list of
 *   `inspectorServers`, no stored OAuth state), on the one Inspector port whose redirect URI Keycloak knows. Tests
 *   in several files and workers want it: each holds the port's lock for as long as it runs.
 * - `inspectorServers`: the catalog `inspector` starts with (`test.use`), as `lab up` writes it;
 *   empty unless told, for tests that add the server the way the tutorial does.
 */
export const test = base.extend<
  { throwawayUser: ThrowawayUser; inspector: StartedInspector; inspectorServers: Record<string, InspectorServerEntry> },
  { admin: KeycloakAdminClient }
>({
  admin: [
    async ({}, use) => {
      await use(
        await connectLongLivedAdminClient({
          baseUrl: lab.keycloak.adminUrl,
          username: lab.keycloak.adminUsername,
          password: lab.keycloak.adminPassword,
        }),
      );
    },
    { scope: 'worker' },
  ],
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
    await admin.users.del({ realm: lab.realm.name, id: created!.id! });
  },
  inspectorServers: [{}, { option: true }],
  inspector: async ({ inspectorServers }, use, testInfo) => {
    const release = await holdInspectorPort(lab.inspector.port);
    try {
      const inspector = await startInspector({
        port: lab.inspector.port,
        sandboxPort: lab.inspector.sandboxPort,
        appOriginPort: lab.inspector.appOriginPort,
        apiToken: randomBytes(16).toString('hex'),
        homeDir: testInfo.outputPath('inspector-home'),
        servers: inspectorServers,
        logPath: testInfo.outputPath('inspector.log'),
        readyTimeoutMs: lab.inspector.readyTimeoutMs,
      });
      await use(inspector);
      await inspector.stop();
    } finally {
      await release();
    }
  },
});

/**
 * Waits for, then holds, the lock of the Inspector's port (a file lock, so it works across the
 * test workers' processes); a crashed holder's lock goes stale and is taken over.
 */
async function holdInspectorPort(port: number): Promise<() => Promise<void>> {
  const lockTarget = path.join(repoRoot, 'test-results', '.locks', `inspector-${port}`);
  mkdirSync(path.dirname(lockTarget), { recursive: true });
  writeFileSync(lockTarget, '', { flag: 'a' });
  return lockfile.lock(lockTarget, { stale: 10_000, retries: { retries: 600, minTimeout: 100, maxTimeout: 100, factor: 1 } });
}

export { expect } from '@playwright/test';
