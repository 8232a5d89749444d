/**
 * Creates in Keycloak what the tutorial's Keycloak tab makes by hand — realm, user, client — plus
 * the client scope spec mode needs (`mcp:whoami`, binding tokens to the whoami server's resource
 * URL), and puts back any setting that drifted. Safe to run any number of times.
 * The lab runs it (`lab up`, `npm run provision`); docker compose's provision container runs
 * provisioning/main.ts.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { connectAdminClient, toAdminError } from './admin-client.ts';
import type { Change } from './change.ts';
import { ensureAdminConsoleUrl } from './ensure-admin-console-url.ts';
import { ensurePublicClient } from './ensure-client.ts';
import { ensureAudienceClientScope } from './ensure-client-scope.ts';
import { ensureRealm } from './ensure-realm.ts';
import { ensureUser } from './ensure-user.ts';
import { waitForKeycloak } from './wait-for-keycloak.ts';

export async function provisionLab(admin: KeycloakAdminClient, lab: LabConfig): Promise<Change[]> {
  const realm = lab.realm.name;
  const keycloakUrl = lab.keycloak.adminUrl;
  try {
    const realmChange = await ensureRealm(admin, lab);
    // The user does not depend on the client; the client scope is attached to the client.
    const [userChange, [clientChange, scopeChange]] = await Promise.all([
      ensureUser(admin, realm, keycloakUrl, lab.user),
      ensurePublicClient(admin, realm, {
        clientId: lab.client.id,
        redirectUris: [lab.client.inspectorRedirectUri, lab.client.inspectorCliRedirectUri, lab.client.testRedirectUri],
        webOrigins: [lab.client.inspectorWebOrigin],
      }).then(async (change) => [change, await ensureAudienceClientScope(admin, realm, {
        name: lab.server.whoamiScope,
        audience: lab.server.resourceUrl,
        clientId: lab.client.id,
      })] as const),
    ]);
    const changes = [realmChange, userChange, clientChange, scopeChange];
    if (lab.inClassroom) changes.push(await ensureAdminConsoleUrl(admin, lab.keycloak.adminConsoleUrl));
    return changes;
  } catch (error) {
    const translated = toAdminError(error, keycloakUrl, lab.keycloak.adminUsername);
    if (translated instanceof LabError) throw translated;
    throw new LabError('ERR_PROVISIONING', `Provisioning realm ${realm} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Waits for Keycloak, then logs in as the admin; both failures are one-line LabErrors. */
export async function connectToKeycloak(lab: LabConfig): Promise<KeycloakAdminClient> {
  await waitForKeycloak(lab.keycloak.adminUrl, lab.keycloak.provisionWaitMs);
  return connectAdminClient({
    baseUrl: lab.keycloak.adminUrl,
    username: lab.keycloak.adminUsername,
    password: lab.keycloak.adminPassword,
  });
}

export async function connectAndProvision(lab: LabConfig): Promise<Change[]> {
  return provisionLab(await connectToKeycloak(lab), lab);
}

export function describeChange({ item, action, fields }: Change): string {
  return fields?.length ? `${item}: ${action} (${fields.join(', ')})` : `${item}: ${action}`;
}
