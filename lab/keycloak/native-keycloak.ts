import path from 'node:path';
import type { LabConfig } from '../../core/config.ts';
import { assertPortsFree } from '../../core/ports.ts';
import { startService, type StartedService } from '../../core/process.ts';
import { ensureKeycloakDistribution, ensureKeycloakInstance } from './keycloak-distribution.ts';
import { pickJavaRuntime, type JavaRuntime } from './java-runtime.ts';
import type { StartedKeycloak } from './started-keycloak.ts';

export type DevDatabase = 'dev-file' | 'dev-mem';

/** The lab's Keycloak as `config` describes it (version, private copy, ports, public URL, admin); add a log and go. */
export function nativeKeycloakFor(config: LabConfig): NativeKeycloak {
  return new NativeKeycloak(config.keycloak.version, config.cacheDir)
    .withHome(config.keycloak.home)
    .withInstanceName(config.keycloak.instanceName)
    .withPorts(config.keycloak.port, config.keycloak.managementPort)
    .withHostnameUrl(config.keycloak.url)
    .withBootstrapAdmin(config.keycloak.adminUsername, config.keycloak.adminPassword)
    .withStartupTimeoutMs(config.keycloak.readyTimeoutMs);
}

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
  private readonly cacheDir: string;

  /** `cacheDir` holds the downloaded distribution and the private copies (config.cacheDir). */
  constructor(version: string, cacheDir: string) {
    this.version = version;
    this.cacheDir = cacheDir;
    this.logPath = path.join(cacheDir, 'logs', `keycloak-${version}.log`);
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
      ? await ensureKeycloakDistribution(this.version, this.cacheDir, this.home)
      : await ensureKeycloakInstance(this.version, this.instanceName, this.cacheDir);
    const args = ['start-dev', `--http-port=${this.httpPort}`, `--http-management-port=${this.managementPort}`, `--db=${this.database}`];
    if (this.hostnameUrl) args.push(`--hostname=${this.hostnameUrl}`, '--hostname-backchannel-dynamic=true');
    const service = await startKcSh({
      version: this.version, home, java, args, logPath: this.logPath, managementPort: this.managementPort,
      admin: { username: this.adminUsername, password: this.adminPassword }, readyTimeoutMs: this.startupTimeoutMs, signal,
    });
    return new StartedNativeKeycloak(service, this.version, java, this.hostnameUrl ?? `http://localhost:${this.httpPort}`, this.managementPort);
  }
}

/**
 * The one place `kc.sh` is launched: in its own process group (so stopping it reaches the JVM it
 * forks), on the JDK picked for the version, with health endpoints on, until /health/ready answers.
 */
export function startKcSh({ version, home, java, args, logPath, managementPort, admin, readyTimeoutMs, signal }: {
  version: string;
  home: string;
  java: JavaRuntime;
  args: string[];
  logPath: string;
  managementPort: number;
  admin: { username: string; password: string };
  readyTimeoutMs: number;
  signal?: AbortSignal;
}): Promise<StartedService> {
  return startService({
    description: `Keycloak ${version}`,
    file: path.join(home, 'bin', 'kc.sh'),
    args,
    env: {
      ...(java.home ? { JAVA_HOME: java.home } : {}),
      KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
      KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      KC_HEALTH_ENABLED: 'true',
    },
    logPath,
    ready: `http://localhost:${managementPort}/health/ready`,
    readyTimeoutMs,
    stopGraceMs: 20_000,
    signal,
  });
}

export class StartedNativeKeycloak implements StartedKeycloak {
  private readonly service: StartedService;
  private readonly version: string;
  readonly java: JavaRuntime;
  private readonly url: string;
  private readonly managementPort: number;

  constructor(service: StartedService, version: string, java: JavaRuntime, url: string, managementPort: number) {
    this.service = service;
    this.version = version;
    this.java = java;
    this.url = url;
    this.managementPort = managementPort;
  }

  /** The URL browsers use: the configured host name (hostname v2), e.g. a room's LAB_PUBLIC_HOST. */
  getUrl(): string { return this.url; }
  getManagementUrl(): string { return `http://localhost:${this.managementPort}`; }
  getLogPath(): string { return this.service.logPath; }
  getVersion(): string { return this.version; }
  getPid(): number { return this.service.pid; }

  /** SIGTERM to the whole process group, SIGKILL if the JVM is still there after 20 s. */
  stop(): Promise<void> {
    return this.service.stop();
  }
}
