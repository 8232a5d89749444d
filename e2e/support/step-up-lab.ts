import { withSettings, type LabConfig } from '../../core/config.ts';
import { featureSince, isKeycloakAtLeast } from '../../core/keycloak-versions.ts';
import type { StartedKeycloak } from '../../lab/keycloak/started-keycloak.ts';
import { lab } from './lab.ts';
import { startRealmLab, type RealmLab } from './realm-lab.ts';
import { startTestKeycloak } from './test-keycloak.ts';

/**
 * True on a Keycloak that has `resource-indicators` (26.6+): there `lab up` turns it on in spec
 * mode, so the step-up tests run with it too, and the token's `aud` is the `resource` sent.
 */
export const stepUpWithResourceIndicators = isKeycloakAtLeast(lab.keycloak.version, featureSince['resource-indicators']);

/** How titles name the Keycloak a step-up test runs on. */
export function stepUpKeycloakName(resourceIndicators: boolean): string {
  return `Keycloak ${lab.keycloak.version} ${resourceIndicators ? 'with resource indicators' : 'with the audience mapper'}`;
}

/** The 2026-07-28 server's realm (role `whoami-admin`, scope `whoami:admin`, adminuser) and the Keycloak it lives on. */
export interface StepUpLab extends RealmLab {
  /** The Keycloak the realm is on: the run's, or one of the tests' own with `resource-indicators`. */
  keycloak: LabConfig;
  /** Whether that Keycloak narrows `aud` to the `resource` sent. */
  resourceIndicators: boolean;
}

/**
 * Starts the lab a learner gets with MCP_REVISION=2026-07-28 (spec mode, the tutorial's manual
 * client; the step-up's role, scope and adminuser): a realm of its own and the 2026 server on `port`. With `keycloakPort` on 26.6+, that
 * realm lives on a Keycloak of the tests' own there with `resource-indicators` — the run's Keycloak
 * runs without it, since with it Keycloak refuses every `resource` it does not know (every other
 * test's server). Without `keycloakPort`, on the run's Keycloak (the audience mapper).
 */
export async function startStepUpLab({
  prefix,
  port,
  keycloakPort,
}: {
  prefix: string;
  port: number;
  /** Where a Keycloak of its own listens (26.6+); its management port is as far above the run's. */
  keycloakPort?: number;
}): Promise<StepUpLab> {
  const resourceIndicators = stepUpWithResourceIndicators && keycloakPort !== undefined;
  const offset = (keycloakPort ?? lab.keycloak.port) - lab.keycloak.port;
  const base = resourceIndicators
    ? withSettings(lab, {
        KEYCLOAK_PORT: String(keycloakPort),
        KEYCLOAK_MANAGEMENT_PORT: String(lab.keycloak.managementPort + offset),
        KEYCLOAK_URL: '',
        KEYCLOAK_INTERNAL_URL: '',
        KEYCLOAK_INSTANCE: `e2e-${prefix}`,
        KEYCLOAK_FEATURES: 'resource-indicators',
      })
    : lab;
  const keycloak: StartedKeycloak | undefined = resourceIndicators
    ? await startTestKeycloak(base, { logName: `keycloak-${prefix}.log` })
    : undefined;
  try {
    const realmLab = await startRealmLab({
      prefix,
      registration: 'manual',
      mode: 'spec',
      port,
      base,
      settings: { MCP_REVISION: '2026-07-28' },
    });
    return {
      ...realmLab,
      keycloak: base,
      resourceIndicators,
      stop: async () => {
        await realmLab.stop();
        await keycloak?.stop();
      },
    };
  } catch (error) {
    await keycloak?.stop();
    throw error;
  }
}
