/**
 * What each Keycloak release brought that the lab's profiles rely on, checked on the real
 * distributions (docs/keycloak-versions.md has the evidence):
 *   26.5  the anonymous client-registration policy "Allowed Registration Web Origins": CORS on the
 *         registration endpoint, so a page in a browser can register a client;
 *   26.6  the experimental features `cimd` (client ID metadata documents) and `resource-indicators`
 *         (RFC 8707); earlier releases refuse to start with them (`kc.sh` exits 2).
 */
import type { ClientRegistration } from './config.ts';
import { t } from './messages.ts';

/** The Keycloak features (`--features=…`) the lab uses, and the release that brought each. */
export const featureSince = Object.freeze({
  cimd: '26.6',
  'resource-indicators': '26.6',
});

/** The release whose registration endpoint answers browsers (CORS), under its own policy. */
export const registrationWebOriginsSince = '26.5';

/** True when `version` (e.g. 26.5.6, 26.7.3, 27.0.0-SNAPSHOT) is `minimum` (e.g. 26.6) or newer. */
export function isKeycloakAtLeast(version: string, minimum: string): boolean {
  const have = numericParts(version);
  const want = numericParts(minimum);
  for (let index = 0; index < want.length; index++) {
    const difference = (have[index] ?? 0) - want[index]!;
    if (difference !== 0) return difference > 0;
  }
  return true;
}

function numericParts(version: string): number[] {
  return version
    .split(/[.-]/)
    .map(Number)
    .filter((part) => Number.isInteger(part));
}

/** What a registration profile needs from Keycloak: a release, and a feature turned on at start. */
export const registrationNeeds: Readonly<Record<ClientRegistration, { since?: string; feature?: 'cimd' }>> = Object.freeze({
  manual: {},
  dynamic: {},
  cimd: { since: featureSince.cimd, feature: 'cimd' },
});

/**
 * The one line that refuses `profile` on Keycloak `version`, or undefined when it can do it.
 * `featureState` is what the running Keycloak says of the feature (undefined before it runs).
 */
export function registrationRefusal(
  profile: ClientRegistration,
  version: string,
  featureState?: 'enabled' | 'disabled' | 'absent',
): string | undefined {
  const { since, feature } = registrationNeeds[profile];
  if (since && (!isKeycloakAtLeast(version, since) || featureState === 'absent')) {
    return feature
      ? t('config.keycloak.profile-needs-release-and-feature', { profile, since, feature, version })
      : t('config.keycloak.profile-needs-release', { profile, since, version });
  }
  if (feature && featureState === 'disabled') {
    return t('config.keycloak.profile-needs-feature', { profile, feature, version });
  }
  return undefined;
}

/**
 * Before starting Keycloak: the one line that refuses what this version cannot start with — a
 * profile it cannot do, or a feature it does not have (`kc.sh` would exit 2) — or undefined.
 */
export function keycloakStartRefusal({
  registration,
  version,
  features,
}: {
  registration: ClientRegistration;
  version: string;
  features: readonly string[];
}): string | undefined {
  const profileRefusal = registrationRefusal(registration, version);
  if (profileRefusal) return profileRefusal;
  const { feature } = registrationNeeds[registration];
  if (feature && !features.includes(feature)) {
    return t('config.keycloak.profile-feature-left-out', { profile: registration, feature, features: features.join(',') });
  }
  for (const [name, since] of Object.entries(featureSince)) {
    if (features.includes(name) && !isKeycloakAtLeast(version, since)) {
      return t('config.keycloak.feature-too-new', { feature: name, version, since });
    }
  }
  return undefined;
}
