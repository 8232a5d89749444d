/**
 * Checks of the registration profile (LAB_CLIENT_REGISTRATION): the anonymous client-registration
 * policies `dynamic` needs, and the feature and client policy `cimd` needs. Each names what the
 * learner meets — Keycloak's own refusal — and the fix.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type ComponentRepresentation from '@keycloak/keycloak-admin-client/lib/defs/componentRepresentation.js';
import type { LabConfig } from '../../core/config.ts';
import { featureSince, registrationWebOriginsSince } from '../../core/keycloak-versions.ts';
import { cimdPolicyName } from '../../provisioning/ensure-cimd-policy.ts';
import { registrationPolicyType } from '../../provisioning/ensure-registration-policies.ts';
import type { KeycloakServer } from '../../provisioning/keycloak-server.ts';
import { labAnonymousRegistration } from '../../provisioning/provision.ts';
import { ok, problem, type CheckResult } from './check.ts';

const provisionFix = 'run `npm run provision`, which puts it back';
const policiesPlace = 'Clients › Client registration › Anonymous access policies';

/** The names of the checks `registrationChecks` reports for this profile, for skipping them together. */
export function registrationCheckNames(lab: LabConfig): string[] {
  switch (lab.client.registration) {
    case 'manual':
      return [];
    case 'dynamic':
      return ['registration: Trusted Hosts', 'registration: Allowed Client Scopes', 'registration: web origins'];
    case 'cimd':
      return ['feature cimd', 'client ID metadata documents'];
  }
}

export async function registrationChecks(admin: KeycloakAdminClient, lab: LabConfig, server: KeycloakServer): Promise<CheckResult[]> {
  switch (lab.client.registration) {
    case 'manual':
      return [];
    case 'dynamic':
      return dynamicRegistrationChecks(admin, lab, server);
    case 'cimd':
      return cimdChecks(admin, lab, server);
  }
}

async function dynamicRegistrationChecks(admin: KeycloakAdminClient, lab: LabConfig, server: KeycloakServer): Promise<CheckResult[]> {
  const components: ComponentRepresentation[] = await admin.components.find({ realm: lab.realm.name, type: registrationPolicyType });
  const policies = anonymousPolicies(components);
  const wanted = labAnonymousRegistration(lab);
  return [checkTrustedHosts(policies, wanted), checkAllowedScopes(policies, wanted), checkRegistrationWebOrigins(policies, wanted, server)];
}

type Wanted = ReturnType<typeof labAnonymousRegistration>;

/** The realm's anonymous client-registration policies, and what their settings say. */
function anonymousPolicies(components: ComponentRepresentation[]) {
  const values = (component: ComponentRepresentation | undefined, key: string): string[] => [component?.config?.[key] ?? []].flat();
  return {
    find: (providerId: string) => components.find((component) => component.subType === 'anonymous' && component.providerId === providerId),
    values,
    isOn: (component: ComponentRepresentation | undefined, key: string) => values(component, key)[0] !== 'false',
  };
}
type Policies = ReturnType<typeof anonymousPolicies>;

const missing = (have: string[], want: string[]) => want.filter((value) => !have.includes(value));

/** Trusted Hosts: the source address of the request, and the hosts of its redirect and client URIs. */
function checkTrustedHosts({ find, values, isOn }: Policies, wanted: Wanted): CheckResult {
  const trustedHosts = find('trusted-hosts');
  const hosts = values(trustedHosts, 'trusted-hosts');
  const name = 'registration: Trusted Hosts';
  if (!trustedHosts) return ok(name, 'no Trusted Hosts policy: registrations from anywhere, with any redirect URI');
  if (isOn(trustedHosts, 'host-sending-registration-request-must-match') && !hosts.includes('localhost')) {
    return problem(
      name,
      `lacks localhost: Keycloak refuses the Inspector's registration from this machine ("Policy 'Trusted Hosts' rejected request … Host not trusted.")`,
      `${provisionFix}, or add localhost under ${policiesPlace} › Trusted Hosts`,
    );
  }
  const lacking = missing(hosts, wanted.trustedHosts);
  if (isOn(trustedHosts, 'client-uris-must-match') && lacking.length > 0) {
    const why = lacking.includes('github.com')
      ? 'the Inspector registers with client_uri https://github.com/modelcontextprotocol/inspector'
      : "the lab's redirect URIs name them";
    return problem(
      name,
      `lacks ${lacking.join(', ')}: ${why}, and Keycloak refuses it ("Policy 'Trusted Hosts' rejected request … URL doesn't match any trusted host or trusted domain")`,
      `${provisionFix}, or add ${lacking.join(', ')} under ${policiesPlace} › Trusted Hosts`,
    );
  }
  return ok(name, `trusts ${hosts.join(', ')}`);
}

/** Allowed Client Scopes: `openid` is no client scope, so Keycloak's default refuses it. */
function checkAllowedScopes({ find, values, isOn }: Policies, wanted: Wanted): CheckResult {
  const allowedScopes = find('allowed-client-templates');
  const scopes = values(allowedScopes, 'allowed-client-scopes');
  const name = 'registration: Allowed Client Scopes';
  const lacking = missing(scopes, wanted.allowedScopes).filter(
    (scope) => !(isOn(allowedScopes, 'allow-default-scopes') && scope !== 'openid'),
  );
  if (allowedScopes && lacking.length > 0) {
    return problem(
      name,
      `lacks ${lacking.join(', ')}: a registration asking for ${lacking.length === 1 ? 'it' : 'them'} is refused ("Policy 'Allowed Client Scopes' rejected request … Not permitted to use specified clientScope")`,
      `${provisionFix}, or add ${lacking.join(', ')} under ${policiesPlace} › Allowed Client Scopes`,
    );
  }
  return ok(name, allowedScopes ? `allows ${scopes.join(', ')}` : 'no Allowed Client Scopes policy');
}

/** Allowed Registration Web Origins (26.5+): CORS for a page in a browser that registers. */
function checkRegistrationWebOrigins({ find, values }: Policies, wanted: Wanted, server: KeycloakServer): CheckResult {
  const name = 'registration: web origins';
  if (!server.hasRegistrationWebOrigins) {
    return ok(
      name,
      `Keycloak ${server.version} has no CORS on registration (${registrationWebOriginsSince}+): a page in a browser cannot register; the Inspector registers through its backend`,
    );
  }
  const origins = values(find('registration-web-origins'), 'web-origins');
  const lacking = missing(origins, wanted.webOrigins);
  if (lacking.length === 0) return ok(name, `allows ${origins.join(', ')}`);
  return problem(
    name,
    `Allowed Registration Web Origins lacks ${lacking.join(', ')}: a registration sent from a page there gets 403 "Invalid origin", with no CORS header, so the browser shows only a CORS error`,
    `${provisionFix}, or add ${lacking.join(', ')} under ${policiesPlace} › Allowed Registration Web Origins`,
  );
}

async function cimdChecks(admin: KeycloakAdminClient, lab: LabConfig, server: KeycloakServer): Promise<CheckResult[]> {
  const state = server.feature('cimd');
  const feature =
    state === 'enabled'
      ? ok('feature cimd', `Keycloak ${server.version} runs with it`)
      : state === 'absent'
        ? problem(
            'feature cimd',
            `Keycloak ${server.version} does not have it (${featureSince.cimd}+): the Inspector's metadata document URL is "Client not found."`,
            `run Keycloak ${featureSince.cimd} or newer (KEYCLOAK_VERSION) with --features=cimd, or LAB_CLIENT_REGISTRATION=dynamic`,
          )
        : problem(
            'feature cimd',
            `Keycloak ${server.version} runs without it: the Inspector's metadata document URL is "Client not found."`,
            'restart Keycloak with --features=cimd (`npm run lab -- up` does, with LAB_CLIENT_REGISTRATION=cimd)',
          );
  // Listing client policies works with the feature off too.
  const { policies = [] } = await admin.clientPolicies.listPolicies({ realm: lab.realm.name, includeGlobalPolicies: false });
  const policy = policies.find(({ name }) => name === cimdPolicyName);
  const documents = policy?.enabled
    ? ok('client ID metadata documents', `client policy ${cimdPolicyName} takes https client IDs on ${new URL(lab.cimd.url).hostname}`)
    : problem(
        'client ID metadata documents',
        `the realm has no enabled client policy ${cimdPolicyName}: Keycloak does not treat ${lab.cimd.inspectorDocumentUrl} as a client ID ("Client not found.")`,
        provisionFix,
      );
  return [feature, documents];
}
