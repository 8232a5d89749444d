import {
  featureSince,
  isKeycloakAtLeast,
  keycloakStartRefusal,
  registrationNeeds,
  registrationRefusal,
  registrationWebOriginsSince,
} from '../../core/keycloak-versions.ts';
import { expect, test } from '@playwright/test';

test.describe('isKeycloakAtLeast', () => {
  test('compares releases part by part, as numbers', () => {
    expect(isKeycloakAtLeast('26.6.0', '26.6')).toBe(true);
    expect(isKeycloakAtLeast('26.6', '26.6')).toBe(true);
    expect(isKeycloakAtLeast('26.7.3', '26.6')).toBe(true);
    expect(isKeycloakAtLeast('26.10.0', '26.6')).toBe(true);
    expect(isKeycloakAtLeast('27.0.0', '26.6')).toBe(true);
    expect(isKeycloakAtLeast('26.5.6', '26.6')).toBe(false);
    expect(isKeycloakAtLeast('26.2.4', '26.5')).toBe(false);
    expect(isKeycloakAtLeast('25.9.9', '26.6')).toBe(false);
  });

  test('reads a snapshot or a release candidate by its numbers', () => {
    expect(isKeycloakAtLeast('27.0.0-SNAPSHOT', '26.6')).toBe(true);
    expect(isKeycloakAtLeast('26.6.0-rc1', '26.6')).toBe(true);
    expect(isKeycloakAtLeast('26.5.0-SNAPSHOT', '26.6')).toBe(false);
  });
});

test.describe('what each release brought', () => {
  test('cimd and resource indicators came in 26.6, browser registration (CORS) in 26.5', () => {
    expect(featureSince).toEqual({ cimd: '26.6', 'resource-indicators': '26.6' });
    expect(registrationWebOriginsSince).toBe('26.5');
    expect(Object.isFrozen(featureSince)).toBe(true);
  });

  test('only the cimd profile needs a release and a feature; manual and dynamic work on any 26.x', () => {
    expect(registrationNeeds).toEqual({ manual: {}, dynamic: {}, cimd: { since: '26.6', feature: 'cimd' } });
  });
});

test.describe('registrationRefusal', () => {
  test('refuses nothing for the manual and dynamic profiles, whatever the Keycloak', () => {
    for (const version of ['26.2.4', '26.6.0']) {
      expect(registrationRefusal('manual', version, 'absent')).toBeUndefined();
      expect(registrationRefusal('dynamic', version, 'disabled')).toBeUndefined();
    }
  });

  test('refuses cimd before 26.6 in one line naming the profile, the release and the feature', () => {
    expect(registrationRefusal('cimd', '26.5.6')).toBe(
      'LAB_CLIENT_REGISTRATION=cimd needs Keycloak 26.6 or newer started with --features=cimd; this is Keycloak 26.5.6',
    );
  });

  test('accepts cimd on 26.6 before it runs, and once it runs with the feature on', () => {
    expect(registrationRefusal('cimd', '26.6.0')).toBeUndefined();
    expect(registrationRefusal('cimd', '26.6.0', 'enabled')).toBeUndefined();
  });

  test('refuses cimd on a Keycloak that runs without the feature, or has none of that name', () => {
    expect(registrationRefusal('cimd', '26.6.0', 'disabled')).toBe(
      'LAB_CLIENT_REGISTRATION=cimd needs Keycloak started with --features=cimd; Keycloak 26.6.0 runs without it',
    );
    expect(registrationRefusal('cimd', '26.6.0', 'absent')).toBe(
      'LAB_CLIENT_REGISTRATION=cimd needs Keycloak 26.6 or newer started with --features=cimd; this is Keycloak 26.6.0',
    );
  });
});

test.describe('keycloakStartRefusal', () => {
  test("lets the tutorial's lab and a cimd lab with its feature start", () => {
    expect(keycloakStartRefusal({ registration: 'manual', version: '26.2.4', features: [] })).toBeUndefined();
    expect(keycloakStartRefusal({ registration: 'cimd', version: '26.6.0', features: ['cimd'] })).toBeUndefined();
    expect(keycloakStartRefusal({ registration: 'manual', version: '26.6.0', features: ['resource-indicators'] })).toBeUndefined();
  });

  test('refuses a profile this Keycloak cannot do', () => {
    expect(keycloakStartRefusal({ registration: 'cimd', version: '26.2.4', features: ['cimd'] })).toBe(
      'LAB_CLIENT_REGISTRATION=cimd needs Keycloak 26.6 or newer started with --features=cimd; this is Keycloak 26.2.4',
    );
  });

  test('refuses the cimd profile when KEYCLOAK_FEATURES leaves its feature out', () => {
    expect(keycloakStartRefusal({ registration: 'cimd', version: '26.6.0', features: ['token-exchange'] })).toBe(
      'LAB_CLIENT_REGISTRATION=cimd needs Keycloak started with --features=cimd; KEYCLOAK_FEATURES=token-exchange leaves it out',
    );
  });

  test('refuses a feature this Keycloak does not have, since kc.sh would exit 2', () => {
    expect(keycloakStartRefusal({ registration: 'manual', version: '26.2.4', features: ['resource-indicators'] })).toBe(
      'KEYCLOAK_FEATURES names resource-indicators, which Keycloak 26.2.4 does not have (it came in 26.6)',
    );
  });
});
