import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.ts';
import { assertPortsFree } from '../ports.ts';
import { stopProcessGroup } from '../process-group.ts';
import { waitForHttpOk, WaitAbortedError } from '../wait.ts';
import { ensureKeycloakDistribution, ensureKeycloakInstance, labCacheDir } from './keycloak-distribution.ts';
import { pickJavaRuntime, type JavaRuntime } from './java-runtime.ts';
import type { StartedKeycloak } from './started-keycloak.ts';

export type DevDatabase = 'dev-file' | 'dev-mem';

/**
 * Keycloak from its distribution, `kc.sh start-dev`, no Docker. Builder style: defaults in the
 * constructor, `with*` methods, then `start()` returns a {@link StartedNativeKeycloak}.
 */
export class NativeKeycloak {
  private home: string | undefined;
  private instanceName = 'lab';
  private httpPort = 8080;
  private managementPort = 9000;
  private hostnameUrl: string | undefined;
  private adminUsername = 'admin';
  private adminPassword = 'admin';
  private database: DevDatabase = 'dev-file';
  private startupTimeoutMs = 180_000;
  private logPath: string;
  private readonly version: string;

  constructor(version: string) {
    this.version = version;
    this.logPath = path.join(labCacheDir(), 'logs', `keycloak-${version}.log`);
  }

  /** An unpacked distribution to run as it is (KEYCLOAK_HOME); otherwise a cached private copy. */
  withHome(home: string | undefined): this { this.home = home; return this; }
  /** Names the private copy, so a lab and a test run never share one (see ensureKeycloakInstance). */
  withInstanceName(instanceName: string): this { this.instanceName = instanceName; return this; }
  withPorts(httpPort: number, managementPort: number): this { this.httpPort = httpPort; this.managementPort = managementPort; return this; }
  /** The public URL (hostname v2): one issuer however Keycloak is reached. */
  withHostnameUrl(url: string): this { this.hostnameUrl = url; return this; }
  withBootstrapAdmin(username: string, password: string): this { this.adminUsername = username; this.adminPassword = password; return this; }
  /** `dev-mem` starts from an empty database each time (tests); `dev-file` keeps the realm (the lab). */
  withDatabase(database: DevDatabase): this { this.database = database; return this; }
  withStartupTimeoutMs(timeoutMs: number): this { this.startupTimeoutMs = timeoutMs; return this; }
  withLogPath(logPath: string): this { this.logPath = logPath; return this; }

  /** `signal` aborts the wait for readiness (Ctrl-C while Keycloak boots): the process is stopped. */
  async start({ signal }: { signal?: AbortSignal } = {}): Promise<StartedNativeKeycloak> {
    await assertPortsFree([
      { port: this.httpPort, what: 'Keycloak HTTP', setting: 'KEYCLOAK_PORT' },
      { port: this.managementPort, what: 'Keycloak management', setting: 'KEYCLOAK_MANAGEMENT_PORT' },
    ]);
    const java = pickJavaRuntime(this.version);
    const home = this.home
      ? await ensureKeycloakDistribution(this.version, this.home)
      : await ensureKeycloakInstance(this.version, this.instanceName);
    mkdirSync(path.dirname(this.logPath), { recursive: true });
    const log = createWriteStream(this.logPath);

    const args = ['start-dev', `--http-port=${this.httpPort}`, `--http-management-port=${this.managementPort}`, `--db=${this.database}`];
    if (this.hostnameUrl) args.push(`--hostname=${this.hostnameUrl}`, '--hostname-backchannel-dynamic=true');
    const child = spawn(path.join(home, 'bin', 'kc.sh'), args, {
      env: {
        ...process.env,
        ...(java.home ? { JAVA_HOME: java.home } : {}),
        KC_BOOTSTRAP_ADMIN_USERNAME: this.adminUsername,
        KC_BOOTSTRAP_ADMIN_PASSWORD: this.adminPassword,
        KC_HEALTH_ENABLED: 'true',
      },
      // Own process group, so stop() reaches kc.sh and the JVM it forks.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    let exitCode: number | null | undefined;
    child.once('exit', (code) => { exitCode = code; });

    const started = new StartedNativeKeycloak(child, this.version, java, this.httpPort, this.managementPort, this.logPath);
    const readyUrl = `${started.getManagementUrl()}/health/ready`;
    try {
      await waitForHttpOk(readyUrl, { timeoutMs: this.startupTimeoutMs, intervalMs: 200, isAlive: () => exitCode === undefined && !signal?.aborted });
    } catch (error) {
      await started.stop();
      if (signal?.aborted) {
        throw new LabError('ERR_INTERRUPTED', `Stopped Keycloak ${this.version} before it was ready`);
      }
      if (error instanceof WaitAbortedError) {
        throw new LabError('ERR_KEYCLOAK_EXITED', `Keycloak ${this.version} exited with code ${exitCode} before it was ready: ${lastLogLine(this.logPath)}`, {
          hint: `see ${this.logPath}`,
        });
      }
      throw new LabError('ERR_KEYCLOAK_NOT_READY', `Keycloak not ready at ${readyUrl} after ${Math.round(this.startupTimeoutMs / 1000)} s`, {
        hint: `see ${this.logPath}, or raise KEYCLOAK_READY_TIMEOUT_MS`,
        cause: error,
      });
    }
    return started;
  }
}

function lastLogLine(logPath: string): string {
  try {
    const lines = readFileSync(logPath, 'utf8').trim().split('\n');
    return lines.findLast((line) => /ERROR|Exception|error:/i.test(line))?.trim() ?? lines.at(-1)?.trim() ?? '(empty log)';
  } catch {
    return '(no log)';
  }
}

export class StartedNativeKeycloak implements StartedKeycloak {
  private readonly child: ChildProcess;
  private readonly version: string;
  readonly java: JavaRuntime;
  private readonly httpPort: number;
  private readonly managementPort: number;
  private readonly logPath: string;

  constructor(child: ChildProcess, version: string, java: JavaRuntime, httpPort: number, managementPort: number, logPath: string) {
    this.child = child;
    this.version = version;
    this.java = java;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    this.logPath = logPath;
  }

  getUrl(): string { return `http://localhost:${this.httpPort}`; }
  getManagementUrl(): string { return `http://localhost:${this.managementPort}`; }
  getLogPath(): string { return this.logPath; }
  getVersion(): string { return this.version; }
  getPid(): number | undefined { return this.child.pid; }

  /** SIGTERM to the whole process group, SIGKILL if the JVM is still there after 20 s. */
  async stop(): Promise<void> {
    await stopProcessGroup(this.child, 20_000);
  }
}
