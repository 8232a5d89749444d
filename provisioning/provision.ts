/**
 * Creates in Keycloak what the tutorial's Keycloak tab makes by hand — realm, user, client — plus
 * the client scope spec mode needs (`mcp:whoami`, binding tokens to the whoami server's resource
 * URL), the registration profile's settings (LAB_CLIENT_REGISTRATION), and puts back any setting
 * that drifted. Safe to run any number of times.
 * The lab runs it (`lab up`, `npm run provision`); docker compose's provision container runs
 * provisioning/main.ts.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { registrationRefusal } from '../core/keycloak-versions.ts';
import { t } from '../core/messages.ts';
import { connectAdminClient, toAdminError } from './admin-client.ts';
import type { Change } from './change.ts';
import { ensureAdminConsoleUrl } from './ensure-admin-console-url.ts';
import { ensureCimdPolicy } from './ensure-cimd-policy.ts';
import { ensurePublicClient } from './ensure-client.ts';
import { ensureAudienceClientScope } from './ensure-client-scope.ts';
import { ensureRealm } from './ensure-realm.ts';
import { ensureAnonymousRegistration, registrationClosed, type AnonymousRegistration } from './ensure-registration-policies.ts';
import { ensureResourceServer, removeResourceServer } from './ensure-resource-server.ts';
import { ensureStepUp } from './ensure-step-up.ts';
import { ensureUser } from './ensure-user.ts';
import { readKeycloakServer, type KeycloakServer } from './keycloak-server.ts';
import { waitForKeycloak } from './wait-for-keycloak.ts';

/** The client that stands for the whoami server when Keycloak has resource indicators. */
export const resourceServerClientId = 'whoami-server';

/**
 * The Inspector sends `client_uri: https://github.com/modelcontextprotocol/inspector` when it
 * registers; Trusted Hosts checks that host too ("URL doesn't match any trusted host").
 */
const inspectorClientUriHost = 'github.com';

/** What the `dynamic` profile lets anonymous registrations do: the lab's hosts, origin and scopes only. */
export function labAnonymousRegistration(lab: LabConfig): AnonymousRegistration {
  const redirectHosts = lab.client.redirectUris.map((uri) => new URL(uri).hostname);
  return {
    trustedHosts: [...new Set([...redirectHosts, lab.publicHost, inspectorClientUriHost])],
    webOrigins: [lab.client.inspectorWebOrigin],
    // `openid` is no client scope but clients ask for it; `basic` is every new client's default;
    // `offline_access` is what the Inspector's "Request refresh token" (on by default) asks for.
    allowedScopes: [
      'openid',
      'basic',
      'profile',
      'email',
      'offline_access',
      lab.server.whoamiScope,
      ...(lab.server.revision === '2026-07-28' ? [lab.server.adminScope] : []),
    ],
  };
}

export async function provisionLab(admin: KeycloakAdminClient, lab: LabConfig): Promise<Change[]> {
  const realm = lab.realm.name;
  const keycloakUrl = lab.keycloak.adminUrl;
  try {
    const server = await readKeycloakServer(admin);
    const refusal = registrationRefusal(lab.client.registration, server.version, server.feature('cimd'));
    if (refusal) throw new LabError('ERR_KEYCLOAK_FEATURE', refusal, { hint: t('provisioning.registration.refused.hint') });
    const resourceIndicators = server.feature('resource-indicators') === 'enabled';

    const realmChange = await ensureRealm(admin, lab);
    const resourceServer = { clientId: resourceServerClientId, resourceUrl: lab.server.resourceUrl, audienceOf: [lab.client.id] };
    // The user does not depend on the client; the server's client (resource indicators) and the
    // client scope come after the client, and the scope's mapper names the server's client.
    const [userChange, clientChanges] = await Promise.all([
      ensureUser(admin, realm, keycloakUrl, lab.user),
      (async () => {
        const clientChange = await ensurePublicClient(admin, realm, {
          clientId: lab.client.id,
          redirectUris: [...lab.client.redirectUris],
          webOrigins: [lab.client.inspectorWebOrigin],
        });
        const resourceChange = resourceIndicators ? await ensureResourceServer(admin, realm, resourceServer) : undefined;
        // With resource indicators the scope names the server's client, and Keycloak narrows `aud`
        // to the `resource` asked for; without them the scope adds the server's URL itself.
        const audience = resourceIndicators ? { clientId: resourceServerClientId } : { url: lab.server.resourceUrl };
        const scopeChange = await ensureAudienceClientScope(admin, realm, {
          name: lab.server.whoamiScope,
          audience,
          clientId: lab.client.id,
        });
        // The 2026-07-28 server's second tool: its scope, the role that grants it, the user who has it.
        const stepUpChanges =
          lab.server.revision === '2026-07-28'
            ? await ensureStepUp(admin, realm, keycloakUrl, {
                role: lab.adminUser.role,
                scope: lab.server.adminScope,
                audience,
                clientId: lab.client.id,
                user: lab.adminUser,
              })
            : [];
        // Without resource indicators a client for the server would only add a meaningless `aud`.
        const removed = resourceIndicators ? undefined : await removeResourceServer(admin, realm, resourceServer);
        return [clientChange, scopeChange, ...stepUpChanges, resourceChange ?? removed].filter((change) => change !== undefined);
      })(),
    ]);
    const changes = [realmChange, userChange, ...clientChanges, ...(await provisionRegistration(admin, lab, server))];
    if (lab.inClassroom) changes.push(await ensureAdminConsoleUrl(admin, lab.keycloak.adminConsoleUrl));
    return changes;
  } catch (error) {
    if (error instanceof LabError) throw error;
    const translated = toAdminError(error, keycloakUrl, lab.keycloak.adminUsername);
    if (translated instanceof LabError) throw translated;
    throw new LabError('ERR_PROVISIONING', t('provisioning.realm.failed', { realm, reason: (error as Error).message }), { cause: error });
  }
}

/** The registration profile: who may register a client anonymously, and whether metadata documents identify clients. */
async function provisionRegistration(admin: KeycloakAdminClient, lab: LabConfig, server: KeycloakServer): Promise<Change[]> {
  const realm = lab.realm.name;
  const profile = lab.client.registration;
  const registration = await ensureAnonymousRegistration(
    admin,
    realm,
    server,
    profile === 'dynamic' ? labAnonymousRegistration(lab) : registrationClosed,
  );
  // Client policies exist on every version; a realm may carry the lab's CIMD policy from an earlier run.
  const cimd = await ensureCimdPolicy(admin, realm, profile === 'cimd' ? { trustedDomains: [new URL(lab.cimd.url).hostname] } : undefined);
  return cimd ? [registration, cimd] : [registration];
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

/**
 * The line a person reads for a change: "client mcp-inspector: updated (redirectUris)". The item
 * and the fields name things in Keycloak's (or Logto's) words and stay as they are; the action is
 * in the learner's language.
 */
export function describeChange({ item, action, fields }: Change): string {
  return fields?.length
    ? t('provisioning.change.with-fields', { item, action, fields: fields.join(', ') })
    : t('provisioning.change', { item, action });
}
