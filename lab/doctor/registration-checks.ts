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
import { t } from '../../core/messages.ts';
import { ok, problem, provisionFix, type CheckResult } from './check.ts';

/** Where the admin console shows the policies (its labels, English in every language). */
const policiesPlace = 'Clients › Client registration › Anonymous access policies';

/** The names of the checks `registrationChecks` reports for this profile, for skipping them together. */
export function registrationCheckNames(lab: LabConfig): string[] {
  switch (lab.client.registration) {
    case 'manual':
      return [];
    case 'dynamic':
      return [
        t('doctor.name.registration-policy', { policy: 'Trusted Hosts' }),
        t('doctor.name.registration-policy', { policy: 'Allowed Client Scopes' }),
        t('doctor.name.registration-web-origins'),
      ];
    case 'cimd':
      return [t('doctor.name.feature', { feature: 'cimd' }), t('doctor.name.cimd-documents')];
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
  const name = t('doctor.name.registration-policy', { policy: 'Trusted Hosts' });
  if (!trustedHosts) return ok(name, t('doctor.trusted-hosts.none'));
  if (isOn(trustedHosts, 'host-sending-registration-request-must-match') && !hosts.includes('localhost')) {
    return problem(
      name,
      t('doctor.trusted-hosts.no-localhost'),
      t('doctor.registration.fix', { values: 'localhost', place: `${policiesPlace} › Trusted Hosts` }),
    );
  }
  const lacking = missing(hosts, wanted.trustedHosts);
  if (isOn(trustedHosts, 'client-uris-must-match') && lacking.length > 0) {
    return problem(
      name,
      t('doctor.trusted-hosts.lacks', { hosts: lacking.join(', '), why: lacking.includes('github.com') ? 'github' : 'redirect' }),
      t('doctor.registration.fix', { values: lacking.join(', '), place: `${policiesPlace} › Trusted Hosts` }),
    );
  }
  return ok(name, t('doctor.trusted-hosts.ok', { hosts: hosts.join(', ') }));
}

/** Allowed Client Scopes: `openid` is no client scope, so Keycloak's default refuses it. */
function checkAllowedScopes({ find, values, isOn }: Policies, wanted: Wanted): CheckResult {
  const allowedScopes = find('allowed-client-templates');
  const scopes = values(allowedScopes, 'allowed-client-scopes');
  const name = t('doctor.name.registration-policy', { policy: 'Allowed Client Scopes' });
  const lacking = missing(scopes, wanted.allowedScopes).filter(
    (scope) => !(isOn(allowedScopes, 'allow-default-scopes') && scope !== 'openid'),
  );
  if (allowedScopes && lacking.length > 0) {
    return problem(
      name,
      t('doctor.allowed-scopes.lacks', { scopes: lacking.join(', '), count: lacking.length }),
      t('doctor.registration.fix', { values: lacking.join(', '), place: `${policiesPlace} › Allowed Client Scopes` }),
    );
  }
  return ok(name, allowedScopes ? t('doctor.registration.allows', { values: scopes.join(', ') }) : t('doctor.allowed-scopes.none'));
}

/** Allowed Registration Web Origins (26.5+): CORS for a page in a browser that registers. */
function checkRegistrationWebOrigins({ find, values }: Policies, wanted: Wanted, server: KeycloakServer): CheckResult {
  const name = t('doctor.name.registration-web-origins');
  if (!server.hasRegistrationWebOrigins) {
    return ok(name, t('doctor.registration-web-origins.unsupported', { version: server.version, since: registrationWebOriginsSince }));
  }
  const origins = values(find('registration-web-origins'), 'web-origins');
  const lacking = missing(origins, wanted.webOrigins);
  if (lacking.length === 0) return ok(name, t('doctor.registration.allows', { values: origins.join(', ') }));
  return problem(
    name,
    t('doctor.registration-web-origins.lacks', { origins: lacking.join(', ') }),
    t('doctor.registration.fix', { values: lacking.join(', '), place: `${policiesPlace} › Allowed Registration Web Origins` }),
  );
}

async function cimdChecks(admin: KeycloakAdminClient, lab: LabConfig, server: KeycloakServer): Promise<CheckResult[]> {
  const state = server.feature('cimd');
  const featureName = t('doctor.name.feature', { feature: 'cimd' });
  const { version } = server;
  const feature =
    state === 'enabled'
      ? ok(featureName, t('doctor.cimd.feature-on', { version }))
      : state === 'absent'
        ? problem(
            featureName,
            t('doctor.cimd.feature-absent', { version, since: featureSince.cimd }),
            t('doctor.cimd.feature-absent-fix', { since: featureSince.cimd }),
          )
        : problem(featureName, t('doctor.cimd.feature-off', { version }), t('doctor.cimd.feature-off-fix'));
  // Listing client policies works with the feature off too.
  const { policies = [] } = await admin.clientPolicies.listPolicies({ realm: lab.realm.name, includeGlobalPolicies: false });
  const policy = policies.find(({ name }) => name === cimdPolicyName);
  const documentsName = t('doctor.name.cimd-documents');
  const documents = policy?.enabled
    ? ok(documentsName, t('doctor.cimd.documents-ok', { policy: cimdPolicyName, host: new URL(lab.cimd.url).hostname }))
    : problem(
        documentsName,
        t('doctor.cimd.documents-missing', { policy: cimdPolicyName, url: lab.cimd.inspectorDocumentUrl }),
        provisionFix(),
      );
  return [feature, documents];
}
