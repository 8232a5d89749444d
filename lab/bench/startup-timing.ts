import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, type LabConfig } from '../../core/config.ts';
import { startService } from '../../core/process.ts';
import { ensureKeycloakInstance } from '../keycloak/keycloak-distribution.ts';
import { pickJavaRuntime } from '../keycloak/java-runtime.ts';
import { startKcSh } from '../keycloak/native-keycloak.ts';
import type { BenchPorts } from './experiment.ts';

/** A fresh private copy's database, so every start is a first start (realm master created). */
async function freshInstance(config: LabConfig, instanceName: string): Promise<string> {
  const home = await ensureKeycloakInstance(config.keycloak.version, instanceName, config.cacheDir);
  rmSync(path.join(home, 'data'), { recursive: true, force: true });
  return home;
}

/** `kc.sh start-dev` by hand, until /health/ready: the floor the lab's start is compared with. */
export async function timeBareKeycloakStartMs(config: LabConfig, ports: BenchPorts): Promise<number> {
  const version = config.keycloak.version;
  const home = await freshInstance(config, 'bench-bare');
  const startedAt = performance.now();
  const keycloak = await startKcSh({
    version,
    home,
    java: pickJavaRuntime(version),
    // On loopback, as the lab's own Keycloak: a bare start is otherwise on every interface.
    args: [
      'start-dev',
      '--http-host=127.0.0.1',
      `--http-port=${ports.keycloak}`,
      '--http-management-host=127.0.0.1',
      `--http-management-port=${ports.management}`,
    ],
    logPath: path.join(config.cacheDir, 'logs', 'bench-bare-keycloak.log'),
    managementUrl: `http://127.0.0.1:${ports.management}`,
    admin: { username: 'admin', password: 'admin' },
    readyTimeoutMs: config.keycloak.readyTimeoutMs,
  });
  const elapsedMs = performance.now() - startedAt;
  await keycloak.stop();
  return elapsedMs;
}

/** `lab up` in the foreground until it prints "The lab is ready.", then stopped as Ctrl-C would. */
export async function timeLabUpMs(config: LabConfig, ports: BenchPorts, stateDir: string): Promise<number> {
  await freshInstance(config, 'bench-lab');
  const logPath = path.join(stateDir, 'bench-lab-up.log');
  const startedAt = performance.now();
  const lab = await startService({
    description: '`lab up`',
    file: process.execPath,
    args: [path.join(repoRoot, 'lab', 'cli.ts'), 'up'],
    env: {
      KEYCLOAK_VERSION: config.keycloak.version,
      KEYCLOAK_INSTANCE: 'bench-lab',
      KEYCLOAK_PORT: String(ports.keycloak),
      KEYCLOAK_MANAGEMENT_PORT: String(ports.management),
      WHOAMI_PORT: String(ports.whoami),
      KEYCLOAK_URL: '',
      WHOAMI_URL: '',
      LAB_STATE_DIR: stateDir,
    },
    logPath,
    ready: async () => (readFileSync(logPath, 'utf8').includes('The lab is ready.') ? true : { pending: 'not ready yet' }),
    readyTimeoutMs: config.keycloak.readyTimeoutMs + 60_000,
  });
  const elapsedMs = performance.now() - startedAt;
  await lab.stop();
  return elapsedMs;
}
