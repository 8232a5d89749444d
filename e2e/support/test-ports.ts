import { config, type LabConfig } from '../../lab/config.ts';
import { e2eTarget } from '../test-environment.ts';

/**
 * Ports of the extra servers tests start, counted up from the test lab's WHOAMI_PORT (3181 by
 * default, see test-environment.ts) so that each set of test ports stays together.
 */
export const testPorts = Object.freeze({
  /** The spec-mode whoami server global-setup starts next to the tutorial-mode one. */
  specWhoami: config.server.port + 1,
  /** The failure matrix's stoppable stand-in for Keycloak (a TCP proxy). */
  keycloakProxy: config.server.port + 2,
  /** whoami servers behind that proxy, one per mode. */
  outageTutorialWhoami: config.server.port + 3,
  outageSpecWhoami: config.server.port + 4,
  /** `lab doctor` tests: their whoami server, and something else squatting a port. */
  doctorWhoami: config.server.port + 5,
  doctorSquatter: config.server.port + 6,
});

/** The lab's settings as seen by a whoami server on another port (its URL is its resource). */
export function labWithServerOn(port: number, lab: LabConfig = config): LabConfig {
  const url = `http://localhost:${port}`;
  return { ...lab, server: { ...lab.server, port, url, resourceUrl: url } };
}

/**
 * The environment for a lab command that provisions the shared test realm: it must see the same
 * settings as global-setup's provisioning, whose audience mapper names the spec-mode server.
 */
export const sharedRealmEnv: Readonly<Record<string, string>> = Object.freeze<Record<string, string>>(
  // The compose stack provisioned its realm itself, with the lab's own settings.
  e2eTarget() === 'compose' ? {} : { WHOAMI_PORT: String(testPorts.specWhoami) },
);
