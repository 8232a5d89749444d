import path from 'node:path';
import { repoRoot, type LabConfig } from '../../core/config.ts';
import type { Certificate } from '../../lab/cimd/certificate.ts';
import { nativeKeycloakFor } from '../../lab/keycloak/native-keycloak.ts';
import type { StartedKeycloak } from '../../lab/keycloak/started-keycloak.ts';
import { e2eTarget } from '../test-target.ts';
import { KeycloakContainer } from './keycloak-container.ts';
import { localhostOnlyHostsFile } from './keycloak-hosts.ts';

const logDir = path.join(repoRoot, 'test-results', 'logs');

/**
 * A Keycloak for the tests as `config` describes it (version, ports, features, on a new
 * database): the native distribution, or a container for E2E_TARGET=testcontainers. A native one
 * trusts `certificate` (the client ID metadata documents') and resolves only localhost.
 */
export function startTestKeycloak(
  config: LabConfig,
  { certificate, logName = 'keycloak.log' }: { certificate?: Certificate; logName?: string } = {},
): Promise<StartedKeycloak> {
  const logPath = path.join(logDir, logName);
  if (e2eTarget() === 'testcontainers') {
    return (
      new KeycloakContainer(config.keycloak.image)
        .withHostPorts(config.keycloak.port, config.keycloak.managementPort)
        .withHostnameUrl(config.keycloak.url)
        .withBootstrapAdmin(config.keycloak.adminUsername, config.keycloak.adminPassword)
        // No truststore in the container: the metadata documents' test needs the native target.
        .withFeatures(config.keycloak.features.filter((feature) => feature !== 'cimd'))
        .withStartupTimeoutMs(config.keycloak.readyTimeoutMs)
        .withLogPath(logPath)
        .start()
    );
  }
  return nativeKeycloakFor(config)
    .withFreshDatabase()
    .withTruststorePaths(certificate ? [certificate.certPath] : [])
    .withHostsFile(localhostOnlyHostsFile(config.cacheDir))
    .withLogPath(logPath)
    .start();
}
