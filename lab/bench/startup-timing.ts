import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config.ts';
import { ensureKeycloakInstance } from '../keycloak/keycloak-distribution.ts';
import { pickJavaRuntime } from '../keycloak/java-runtime.ts';
import { stopProcessGroup } from '../process-group.ts';
import { waitForHttpOk } from '../wait.ts';

export interface BenchPorts {
  keycloak: number;
  management: number;
  whoami: number;
}

/** A fresh private copy's database, so every start is a first start (realm master created). */
async function freshInstance(version: string, instanceName: string): Promise<string> {
  const home = await ensureKeycloakInstance(version, instanceName);
  rmSync(path.join(home, 'data'), { recursive: true, force: true });
  return home;
}

/** `kc.sh start-dev` by hand, until /health/ready: the floor the lab's start is compared with. */
export async function timeBareKeycloakStartMs(version: string, ports: BenchPorts, timeoutMs: number): Promise<number> {
  const home = await freshInstance(version, 'bench-bare');
  const java = pickJavaRuntime(version);
  const startedAt = performance.now();
  const child = spawn(path.join(home, 'bin', 'kc.sh'), ['start-dev', `--http-port=${ports.keycloak}`, `--http-management-port=${ports.management}`], {
    env: {
      ...process.env,
      ...(java.home ? { JAVA_HOME: java.home } : {}),
      KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
      KC_BOOTSTRAP_ADMIN_PASSWORD: 'admin',
      KC_HEALTH_ENABLED: 'true',
    },
    detached: true,
    stdio: 'ignore',
  });
  try {
    await waitForHttpOk(`http://localhost:${ports.management}/health/ready`, { timeoutMs, intervalMs: 200 });
    return performance.now() - startedAt;
  } finally {
    await stopProcessGroup(child, 20_000);
  }
}

/** `lab up` in the foreground until it prints "The lab is ready.", then Ctrl-C. */
export async function timeLabUpMs(version: string, ports: BenchPorts, stateDir: string, timeoutMs: number): Promise<number> {
  await freshInstance(version, 'bench-lab');
  const startedAt = performance.now();
  const child = spawn(process.execPath, [path.join(repoRoot, 'lab', 'cli.ts'), 'up'], {
    env: {
      ...process.env,
      KEYCLOAK_VERSION: version,
      KEYCLOAK_INSTANCE: 'bench-lab',
      KEYCLOAK_PORT: String(ports.keycloak),
      KEYCLOAK_MANAGEMENT_PORT: String(ports.management),
      WHOAMI_PORT: String(ports.whoami),
      KEYCLOAK_URL: '',
      WHOAMI_URL: '',
      LAB_STATE_DIR: stateDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('The lab is ready.')) resolve(performance.now() - startedAt);
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('exit', (code) => reject(new Error(`lab up exited with ${code} before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`lab up not ready after ${timeoutMs / 1000} s`)), timeoutMs).unref();
  });
  try {
    return await ready;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
}
