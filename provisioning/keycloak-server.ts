import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { featureSince } from '../core/keycloak-versions.ts';

export type FeatureState = 'enabled' | 'disabled' | 'absent';

/** What the running Keycloak can do, as its admin API says (`GET /admin/serverinfo`). */
export interface KeycloakServer {
  version: string;
  /** `absent`: this version does not have the feature at all (then `--features=` would not even start). */
  feature(name: keyof typeof featureSince): FeatureState;
  /** Whether this version has the anonymous client-registration policy "Allowed Registration Web Origins" (26.5+). */
  hasRegistrationWebOrigins: boolean;
}

const registrationPolicyType = 'org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy';

export async function readKeycloakServer(admin: KeycloakAdminClient): Promise<KeycloakServer> {
  const info = await admin.serverInfo.find();
  // serverinfo names features in upper case with underscores: RESOURCE_INDICATORS.
  const features = new Map((info.features ?? []).map(({ name, enabled }) => [name.toLowerCase().replaceAll('_', '-'), enabled]));
  const disabled = new Set((info.profileInfo?.disabledFeatures ?? []).map((name) => name.toLowerCase().replaceAll('_', '-')));
  const known = new Set(
    [
      ...(info.profileInfo?.experimentalFeatures ?? []),
      ...(info.profileInfo?.previewFeatures ?? []),
      ...(info.profileInfo?.disabledFeatures ?? []),
    ].map((name) => name.toLowerCase().replaceAll('_', '-')),
  );
  return {
    version: info.systemInfo?.version ?? 'unknown',
    feature(name) {
      const enabled = features.get(name);
      if (enabled !== undefined) return enabled ? 'enabled' : 'disabled';
      if (!known.has(name)) return 'absent';
      return disabled.has(name) ? 'disabled' : 'enabled';
    },
    hasRegistrationWebOrigins: (info.componentTypes?.[registrationPolicyType] ?? []).some(({ id }) => id === 'registration-web-origins'),
  };
}
