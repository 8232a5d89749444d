/**
 * Creates in Keycloak what the tutorial's Keycloak tab makes by hand — realm, user, client — and
 * puts back any setting that drifted. Safe to run any number of times.
 * Run it with `npm run provision` (`lab provision`).
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { config, type LabConfig } from '../lab/config.ts';
import { LabError } from '../lab/errors.ts';
import { connectAdminClient, toAdminError } from './admin-client.ts';
import type { Change } from './change.ts';
import { ensurePublicClient } from './ensure-client.ts';
import { ensureRealm } from './ensure-realm.ts';
import { ensureUser } from './ensure-user.ts';
import { waitForKeycloak } from './wait-for-keycloak.ts';

export async function provisionLab(admin: KeycloakAdminClient, lab: LabConfig = config): Promise<Change[]> {
  const realm = lab.realm.name;
  const keycloakUrl = lab.keycloak.internalUrl;
  try {
    return [
      await ensureRealm(admin, realm),
      await ensureUser(admin, realm, keycloakUrl, lab.user),
      await ensurePublicClient(admin, realm, {
        clientId: lab.client.id,
        redirectUris: [lab.client.inspectorRedirectUri, lab.client.inspectorCliRedirectUri, lab.client.testRedirectUri],
        webOrigins: [lab.client.inspectorWebOrigin],
      }),
    ];
  } catch (error) {
    const translated = toAdminError(error, keycloakUrl, lab.keycloak.adminUsername);
    if (translated instanceof LabError) throw translated;
    throw new LabError('ERR_PROVISIONING', `Provisioning realm ${realm} failed: ${(error as Error).message}`, {
      hint: 'run `npm run lab -- doctor`',
      cause: error,
    });
  }
}

export async function connectAndProvision(lab: LabConfig = config): Promise<Change[]> {
  await waitForKeycloak(lab.keycloak.internalUrl, lab.keycloak.provisionWaitMs);
  const admin = await connectAdminClient({
    baseUrl: lab.keycloak.internalUrl,
    username: lab.keycloak.adminUsername,
    password: lab.keycloak.adminPassword,
  });
  return provisionLab(admin, lab);
}

export function describeChange({ item, action, fields }: Change): string {
  return fields?.length ? `${item}: ${action} (${fields.join(', ')})` : `${item}: ${action}`;
}
