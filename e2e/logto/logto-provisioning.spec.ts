/**
 * Provisioning Logto through its Management API, as `lab up` does for the Logto tab: a second run
 * changes nothing, and what a learner changed in the Console (the redirect URIs, a password) is put
 * back. Global setup provisioned first. The other specs sign in with the tier's application and
 * testuser meanwhile, so the changes are made to an application and a user of this test's own
 * (provisioning finds the application by LOGTO_APP_ID), deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { withSettings } from '../../core/config.ts';
import { connectLogtoManagement } from '../../provisioning/logto-management.ts';
import { provisionLogto } from '../../provisioning/logto-provision.ts';
import { logtoAppId, logtoDbUrl, logtoLab, logtoUsers } from '../support/logto-lab.ts';

test('provisioning again changes nothing and keeps the App ID', async () => {
  const { appId, changes } = await provisionLogto(logtoLab(), { dbUrl: logtoDbUrl(), users: Object.values(logtoUsers) });

  expect(appId).toBe(logtoAppId());
  expect(changes.filter(({ action }) => action !== 'unchanged')).toEqual([]);
  expect(changes.map(({ item }) => item)).toEqual(expect.arrayContaining([`application ${logtoLab().logto.appName}`, 'user testuser']));
});

test("a learner's changes in the Console are put back: the redirect URIs, a user's password", async () => {
  const management = await connectLogtoManagement(logtoLab(), { dbUrl: logtoDbUrl() });
  const user = {
    username: `drift_${randomBytes(4).toString('hex')}`,
    password: 'drift-password-4711',
    email: 'drift@example.com',
    firstName: 'Drift',
    lastName: 'Test',
  };
  const app = await management.api<{ id: string }>('POST', '/applications', {
    name: 'MCP Inspector',
    type: 'SPA',
    oidcClientMetadata: { redirectUris: [...logtoLab().client.redirectUris], postLogoutRedirectUris: [] },
  });
  const lab = withSettings(logtoLab(), { LOGTO_APP_ID: app.id });
  await provisionLogto(lab, { dbUrl: logtoDbUrl(), users: [user] });
  const [{ id: userId }] = (await management.api<Array<{ id: string }>>(
    'GET',
    `/users?search.username=${user.username}&mode.username=exact`,
  )) as [{ id: string }];
  try {
    const current = await management.api<{ oidcClientMetadata: Record<string, unknown> }>('GET', `/applications/${app.id}`);
    await management.api('PATCH', `/applications/${app.id}`, {
      oidcClientMetadata: { ...current.oidcClientMetadata, redirectUris: ['http://localhost:1/elsewhere'] },
    });
    await management.api('PATCH', `/users/${userId}/password`, { password: 'changed-in-the-console' });

    const { appId, changes } = await provisionLogto(lab, { dbUrl: logtoDbUrl(), users: [user] });
    const again = await provisionLogto(lab, { dbUrl: logtoDbUrl(), users: [user] });

    expect(appId).toBe(app.id);
    expect(changes.filter(({ action }) => action !== 'unchanged')).toEqual([
      expect.objectContaining({ item: 'application MCP Inspector', action: 'updated', fields: ['redirectUris'] }),
      expect.objectContaining({ item: `user ${user.username}`, action: 'updated', fields: ['password'] }),
    ]);
    expect(again.changes.filter(({ action }) => action !== 'unchanged')).toEqual([]);
  } finally {
    await management.api('DELETE', `/users/${userId}`);
    await management.api('DELETE', `/applications/${app.id}`);
  }
});
