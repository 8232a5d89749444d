import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, withSettings, type LabConfig } from '../../core/config.ts';
import { startService } from '../../core/process.ts';
import { nativeKeycloakFor } from '../keycloak/native-keycloak.ts';
import type { BenchPorts } from './experiment.ts';

/** The private copy both starts use: the lab's Keycloak, built once, with the realm in its database. */
const instanceName = 'bench-lab';

/** What `lab up` is started with: the bench's ports and copy, its own state folder. */
function labUpEnv(config: LabConfig, ports: BenchPorts, stateDir: string): Record<string, string> {
  return {
    KEYCLOAK_VERSION: config.keycloak.version,
    KEYCLOAK_INSTANCE: instanceName,
    KEYCLOAK_PORT: String(ports.keycloak),
    KEYCLOAK_MANAGEMENT_PORT: String(ports.management),
    WHOAMI_PORT: String(ports.whoami),
    KEYCLOAK_URL: '',
    WHOAMI_URL: '',
    LAB_STATE_DIR: stateDir,
  };
}

/**
 * The lab's own Keycloak alone: `kc.sh start --optimized` of the copy `lab up` uses, with the
 * arguments `lab up` gives it (nativeKeycloakFor), until /health/ready. No provisioning, no whoami
 * server, no Inspector: the floor of a warm `lab up`.
 */
export async function timeBareKeycloakStartMs(config: LabConfig, ports: BenchPorts, stateDir: string): Promise<number> {
  const labConfig = withSettings(config, labUpEnv(config, ports, stateDir));
  const startedAt = performance.now();
  const keycloak = await nativeKeycloakFor(labConfig).withLogPath(path.join(stateDir, 'bench-bare-keycloak.log')).start();
  const elapsedMs = performance.now() - startedAt;
  await keycloak.stop();
  return elapsedMs;
}

/**
 * `lab up` in the foreground until it prints "The lab is ready.", then stopped as Ctrl-C would.
 * The first one in a fresh state folder builds the copy and creates the realm (cold); later ones
 * find both there (warm).
 */
export async function timeLabUpMs(config: LabConfig, ports: BenchPorts, stateDir: string): Promise<number> {
  const logPath = path.join(stateDir, 'bench-lab-up.log');
  const startedAt = performance.now();
  const lab = await startService({
    description: '`lab up`',
    file: process.execPath,
    args: [path.join(repoRoot, 'lab', 'cli.ts'), 'up'],
    env: labUpEnv(config, ports, stateDir),
    logPath,
    ready: async () => (readFileSync(logPath, 'utf8').includes('The lab is ready.') ? true : { pending: 'not ready yet' }),
    readyTimeoutMs: config.keycloak.readyTimeoutMs + 120_000,
  });
  const elapsedMs = performance.now() - startedAt;
  await lab.stop();
  return elapsedMs;
}
