import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type ClientPolicyRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientPolicyRepresentation.js';
import type ClientProfileRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientProfileRepresentation.js';
import type { Change } from './change.ts';

/**
 * Client ID metadata documents (Keycloak 26.6+, feature `cimd`) are governed by client policies:
 * a client profile with the `client-id-metadata-document` executor, and a policy whose
 * `client-id-uri` condition picks the requests whose `client_id` is a URL. Keycloak then fetches
 * the document at that URL and keeps it as a client of the realm.
 */
export interface CimdPolicySpec {
  /** The host names documents may be served from, e.g. localhost. */
  trustedDomains: string[];
}

export const cimdProfileName = 'mcp-auth-lab-cimd';
export const cimdPolicyName = 'mcp-auth-lab-cimd';

function desiredProfile({ trustedDomains }: CimdPolicySpec): ClientProfileRepresentation {
  return {
    name: cimdProfileName,
    description: 'MCP Auth Lab: clients identified by a client ID metadata document',
    executors: [
      {
        executor: 'client-id-metadata-document',
        configuration: {
          // https only: the Keycloak guide allows http "only in a development environment", and the
          // MCP SDK (Inspector 2.12.0) refuses an http document URL anyway.
          'cimd-allow-http-scheme': false,
          'cimd-allow-permitted-domains': trustedDomains,
          // The document, its client_id and the redirect URI all on one host.
          'cimd-restrict-same-domain': true,
        },
      },
    ],
  };
}

function desiredPolicy({ trustedDomains }: CimdPolicySpec): ClientPolicyRepresentation {
  return {
    name: cimdPolicyName,
    description: "MCP Auth Lab: a client_id that is an https URL on the lab's host is a client ID metadata document",
    enabled: true,
    conditions: [
      {
        condition: 'client-id-uri',
        configuration: { 'client-id-uri-scheme': ['https'], 'client-id-uri-allow-permitted-domains': trustedDomains },
      },
    ],
    profiles: [cimdProfileName],
  };
}

/**
 * The lab's CIMD profile and policy, beside any other client policy of the realm (`spec`), or
 * neither (`undefined`): a realm that keeps a `client-id-uri` policy fails *every* login with HTTP
 * 500 once Keycloak runs without the `cimd` feature, so the other profiles remove it.
 */
export async function ensureCimdPolicy(
  admin: KeycloakAdminClient,
  realm: string,
  spec: CimdPolicySpec | undefined,
): Promise<Change | undefined> {
  const item = 'client ID metadata documents';
  const { profiles = [] } = await admin.clientPolicies.listProfiles({ realm, includeGlobalProfiles: false });
  const { policies = [] } = await admin.clientPolicies.listPolicies({ realm, includeGlobalPolicies: false });
  const otherProfiles = profiles.filter(({ name }) => name !== cimdProfileName);
  const otherPolicies = policies.filter(({ name }) => name !== cimdPolicyName);
  const hadOurs = otherProfiles.length !== profiles.length || otherPolicies.length !== policies.length;
  if (!spec) {
    if (!hadOurs) return undefined;
    // Policies first: Keycloak refuses to drop a profile a policy still names.
    await admin.clientPolicies.updatePolicy({ realm, policies: otherPolicies });
    await admin.clientPolicies.createProfiles({ realm, profiles: otherProfiles });
    return { item, action: 'deleted' };
  }
  const profile = desiredProfile(spec);
  const policy = desiredPolicy(spec);
  const sameProfile = sameJson(
    profiles.find(({ name }) => name === cimdProfileName),
    profile,
  );
  const samePolicy = sameJson(
    policies.find(({ name }) => name === cimdPolicyName),
    policy,
  );
  if (sameProfile && samePolicy) return { item, action: 'unchanged' };
  // PUT replaces the realm's whole list: keep the others. Profiles first: the policy names one.
  if (!sameProfile) await admin.clientPolicies.createProfiles({ realm, profiles: [...otherProfiles, profile] });
  if (!samePolicy) await admin.clientPolicies.updatePolicy({ realm, policies: [...otherPolicies, policy] });
  if (!hadOurs) return { item, action: 'created' };
  return { item, action: 'updated', fields: [...(sameProfile ? [] : ['client profile']), ...(samePolicy ? [] : ['client policy'])] };
}

/** Deep equality of what we asked for against what Keycloak gives back (which may add fields). */
function sameJson(actual: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(actual) && actual.length === desired.length && desired.every((value, index) => sameJson(actual[index], value));
  }
  if (desired && typeof desired === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    return Object.entries(desired).every(([key, value]) => sameJson((actual as Record<string, unknown>)[key], value));
  }
  return actual === desired;
}
