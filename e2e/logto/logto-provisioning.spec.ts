/**
 * Provisioning Logto through its Management API, as `lab up` does for the Logto tab: a second run
 * changes nothing, and what a learner changed in the Console (the redirect URIs, testuser's
 * password) is put back. Global setup provisioned first.
 */
import { expect, test } from '@playwright/test';
import { provisionLogto } from '../../provisioning/logto-provision.ts';
import { connectLogtoManagement } from '../../provisioning/logto-management.ts';
import { logtoAppId, logtoDbUrl, logtoLab, logtoUsers } from '../support/logto-lab.ts';

// Both tests change and provision the same application and user: one after the other.
test.describe.configure({ mode: 'serial' });

const users = Object.values(logtoUsers);

test('provisioning again changes nothing and keeps the App ID', async () => {
  const { appId, changes } = await provisionLogto(logtoLab(), { dbUrl: logtoDbUrl(), users });

  expect(appId).toBe(logtoAppId());
  expect(changes.filter(({ action }) => action !== 'unchanged')).toEqual([]);
  expect(changes.map(({ item }) => item)).toEqual(expect.arrayContaining([`application ${logtoLab().logto.appName}`, 'user testuser']));
});

test("a learner's changes in the Console are put back: the redirect URIs, testuser's password", async () => {
  const lab = logtoLab();
  const management = await connectLogtoManagement(lab, { dbUrl: logtoDbUrl() });
  const app = (await management.api('GET', `/applications/${logtoAppId()}`)) as { oidcClientMetadata: Record<string, unknown> };
  await management.api('PATCH', `/applications/${logtoAppId()}`, {
    oidcClientMetadata: { ...app.oidcClientMetadata, redirectUris: ['http://localhost:1/elsewhere'] },
  });
  const [user] = (await management.api('GET', '/users?search.username=testuser&mode.username=exact')) as Array<{ id: string }>;
  await management.api('PATCH', `/users/${user!.id}/password`, { password: 'changed-in-the-console' });

  const { changes } = await provisionLogto(lab, { dbUrl: logtoDbUrl(), users });
  const again = await provisionLogto(lab, { dbUrl: logtoDbUrl(), users });

  expect(changes.filter(({ action }) => action !== 'unchanged')).toEqual([
    expect.objectContaining({ item: `application ${lab.logto.appName}`, action: 'updated' }),
    expect.objectContaining({ item: 'user testuser', action: 'updated' }),
  ]);
  expect(again.changes.filter(({ action }) => action !== 'unchanged')).toEqual([]);
});
