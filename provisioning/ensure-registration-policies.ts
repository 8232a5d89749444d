import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type ComponentRepresentation from '@keycloak/keycloak-admin-client/lib/defs/componentRepresentation.js';
import { driftedFields, type Change } from './change.ts';
import type { KeycloakServer } from './keycloak-server.ts';

/**
 * Who may register a client without logging in (RFC 7591 dynamic client registration), as the
 * realm's anonymous client-registration policies say. Keycloak's other anonymous policies stay as
 * they ship: Consent Required, Full Scope Disabled, Max Clients (200), Allowed Protocol Mapper Types.
 */
export interface AnonymousRegistration {
  /**
   * "Trusted Hosts": the machines a registration may come from (the TCP source address, checked
   * against each entry's address) and the hosts its redirect URIs and client URI may name (a
   * string compare: `localhost` is not `127.0.0.1`).
   */
  trustedHosts: string[];
  /** "Allowed Registration Web Origins" (Keycloak 26.5+): the browser origins that may register (CORS). */
  webOrigins: string[];
  /** "Allowed Client Scopes": the scopes a registered client may have; nothing else, no realm defaults. */
  allowedScopes: string[];
}

/** Keycloak's defaults: every anonymous registration is refused (no trusted host). */
export const registrationClosed = 'closed';

export const registrationPolicyType = 'org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy';

/** The three policies the lab sets: provider id, the name the admin console shows, the desired config. */
interface DesiredPolicy {
  providerId: string;
  name: string;
  config: Record<string, string[]>;
}

function desiredPolicies(spec: AnonymousRegistration | typeof registrationClosed, server: KeycloakServer): DesiredPolicy[] {
  const open = spec === registrationClosed ? undefined : spec;
  return [
    {
      providerId: 'trusted-hosts',
      name: 'Trusted Hosts',
      config: {
        'trusted-hosts': open?.trustedHosts ?? [],
        'host-sending-registration-request-must-match': ['true'],
        'client-uris-must-match': ['true'],
      },
    },
    {
      providerId: 'allowed-client-templates',
      name: 'Allowed Client Scopes',
      // Keycloak's default, allow-default-scopes=true, allows every realm default *and optional*
      // scope; the lab lists its own and turns that off.
      config: open
        ? { 'allowed-client-scopes': open.allowedScopes, 'allow-default-scopes': ['false'] }
        : { 'allowed-client-scopes': [], 'allow-default-scopes': ['true'] },
    },
    // Keycloak 26.2 has no such policy and no CORS on the registration endpoint at all.
    ...(server.hasRegistrationWebOrigins
      ? [
          {
            providerId: 'registration-web-origins',
            name: 'Allowed Registration Web Origins',
            config: { 'web-origins': open?.webOrigins ?? [] },
          },
        ]
      : []),
  ];
}

/**
 * Puts the anonymous registration policies where the profile wants them: open for exactly the
 * lab's hosts, origins and scopes (`dynamic`), or closed as Keycloak ships them (the tutorial's
 * `manual`). A policy missing from the realm is created; one that drifted is put back.
 */
export async function ensureAnonymousRegistration(
  admin: KeycloakAdminClient,
  realm: string,
  server: KeycloakServer,
  spec: AnonymousRegistration | typeof registrationClosed,
): Promise<Change> {
  const item = 'anonymous client registration';
  const components: ComponentRepresentation[] = await admin.components.find({ realm, type: registrationPolicyType });
  const fields: string[] = [];
  let realmId: string | undefined;
  for (const policy of desiredPolicies(spec, server)) {
    const existing = components.find((component) => component.subType === 'anonymous' && component.providerId === policy.providerId);
    if (!existing?.id) {
      realmId ??= (await admin.realms.findOne({ realm }))!.id!;
      await admin.components.create({
        realm,
        name: policy.name,
        providerId: policy.providerId,
        providerType: registrationPolicyType,
        parentId: realmId,
        subType: 'anonymous',
        config: policy.config,
      });
      fields.push(policy.name);
      continue;
    }
    // Keycloak leaves an empty list out of the config; read it as empty.
    const actual = Object.fromEntries(Object.keys(policy.config).map((key) => [key, existing.config?.[key] ?? []]));
    if (driftedFields(policy.config, actual).length > 0) {
      await admin.components.update({ realm, id: existing.id }, { ...existing, config: { ...existing.config, ...policy.config } });
      fields.push(policy.name);
    }
  }
  return fields.length === 0 ? { item, action: 'unchanged' } : { item, action: 'updated', fields };
}
