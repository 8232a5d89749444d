import path from 'node:path';
import type { LabConfig } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { assertPortsFree } from '../../core/ports.ts';
import { startService, type StartedService } from '../../core/process.ts';
import { startOnFreshDatabase } from './fresh-database.ts';
import { describeBuild, ensureOptimizedBuild, type KeycloakBuildOptions } from './keycloak-build.ts';
import { ensureKeycloakDistribution, ensureKeycloakInstance } from './keycloak-distribution.ts';
import { pickJavaRuntime, type JavaRuntime } from './java-runtime.ts';
import type { StartedKeycloak } from './started-keycloak.ts';
import { urlHost } from '../../core/ports.ts';

export type DevDatabase = 'dev-file' | 'dev-mem';

/** The lab's Keycloak as `config` describes it (version, private copy, ports, addresses, public URL, admin); add a log and go. */
export function nativeKeycloakFor(config: LabConfig): NativeKeycloak {
  return new NativeKeycloak(config.keycloak.version, config.cacheDir)
    .withHome(config.keycloak.home)
    .withPrefetchDir(config.prefetchDir)
    .withInstanceName(config.keycloak.instanceName)
    .withPorts(config.keycloak.port, config.keycloak.managementPort)
    .withHostnameUrl(config.keycloak.url)
    .withListenAddress(config.keycloak.listenAddress)
    .withAdminConsoleUrl(config.keycloak.adminConsoleUrl)
    .withProxyHeaders(config.keycloak.gate ? 'xforwarded' : undefined)
    .withFeatures([...config.keycloak.features])
    .withBootstrapAdmin(config.keycloak.adminUsername, config.keycloak.adminPassword)
    .withStartupTimeoutMs(config.keycloak.readyTimeoutMs);
}

/**
 * Keycloak from its distribution, no Docker: built once per feature set and database (`kc.sh
 * build`), then `kc.sh start --optimized`, which skips the re-augmentation `start-dev` does at
 * every start (11–13 s to ready here; start-dev takes 25–37 s). Builder style: defaults in the
 * constructor, `with*` methods, then `start()` returns a {@link StartedNativeKeycloak}.
 */
export class NativeKeycloak {
  private home: string | undefined;
  private prefetchDir: string | undefined;
  private instanceName = 'lab';
  private httpPort = 8080;
  private managementPort = 9000;
  private hostnameUrl: string | undefined;
  private adminConsoleUrl: string | undefined;
  private listenAddress = '127.0.0.1';
  private proxyHeaders: 'xforwarded' | undefined;
  private adminUsername = 'admin';
  private adminPassword = 'admin';
  private database: DevDatabase = 'dev-file';
  private freshDatabase = false;
  private startupTimeoutMs = 180_000;
  private logPath: string;
  private features: string[] = [];
  private truststorePaths: string[] = [];
  private hostsFile: string | undefined;
  private readonly version: string;
  private readonly cacheDir: string;

  /** `cacheDir` holds the downloaded distribution and the private copies (config.cacheDir). */
  constructor(version: string, cacheDir: string) {
    this.version = version;
    this.cacheDir = cacheDir;
    this.logPath = path.join(cacheDir, 'logs', `keycloak-${version}.log`);
  }

  /** An unpacked distribution to run as it is (KEYCLOAK_HOME); otherwise a cached private copy. */
  withHome(home: string | undefined): this {
    this.home = home;
    return this;
  }
  /** A folder `lab prefetch` filled: the distribution comes from there, not from Maven. */
  withPrefetchDir(prefetchDir: string | undefined): this {
    this.prefetchDir = prefetchDir;
    return this;
  }
  /** Names the private copy, so a lab and a test run never share one (see ensureKeycloakInstance). */
  withInstanceName(instanceName: string): this {
    this.instanceName = instanceName;
    return this;
  }
  withPorts(httpPort: number, managementPort: number): this {
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    return this;
  }
  /** The public URL (hostname v2): one issuer however Keycloak is reached. */
  withHostnameUrl(url: string): this {
    this.hostnameUrl = url;
    return this;
  }
  /**
   * Where a person opens the admin console, when not at the public URL (a classroom: on this machine,
   * while students use LAB_PUBLIC_HOST). Keycloak's `hostname-admin`; the master realm's frontendUrl
   * must follow it for the console's login (see provisioning/ensure-admin-console-url.ts).
   */
  withAdminConsoleUrl(url: string | undefined): this {
    this.adminConsoleUrl = url;
    return this;
  }
  /** The address both ports listen on: loopback unless told otherwise. */
  withListenAddress(address: string): this {
    this.listenAddress = address;
    return this;
  }
  /** Behind the classroom's gate: take the client's address from X-Forwarded-For, which the gate sets. */
  withProxyHeaders(proxyHeaders: 'xforwarded' | undefined): this {
    this.proxyHeaders = proxyHeaders;
    return this;
  }
  withBootstrapAdmin(username: string, password: string): this {
    this.adminUsername = username;
    this.adminPassword = password;
    return this;
  }
  /** `dev-mem` starts from an empty database each time (tests); `dev-file` keeps the realm (the lab). */
  withDatabase(database: DevDatabase): this {
    this.database = database;
    return this;
  }
  /**
   * A dev-file database as Keycloak makes it on its first start (the master realm and the bootstrap
   * admin only), new at each start: the tests' clean slate, without making the schema each time.
   */
  withFreshDatabase(): this {
    this.database = 'dev-file';
    this.freshDatabase = true;
    return this;
  }
  withStartupTimeoutMs(timeoutMs: number): this {
    this.startupTimeoutMs = timeoutMs;
    return this;
  }
  withLogPath(logPath: string): this {
    this.logPath = logPath;
    return this;
  }
  /**
   * Features to enable at start (`--features=cimd,resource-indicators`). A Keycloak that does not
   * know one refuses to start (exit 2), so ask only for what the version has (core/keycloak-versions.ts).
   */
  withFeatures(features: string[]): this {
    this.features = [...features];
    return this;
  }
  /** Certificates Keycloak trusts for its outgoing HTTPS calls, e.g. fetching a client ID metadata document. */
  withTruststorePaths(paths: string[]): this {
    this.truststorePaths = [...paths];
    return this;
  }
  /**
   * Keycloak's Java resolver reads only this hosts file. The tests use it so that no DNS query
   * leaves the machine: trusted-host policies and CIMD fetches resolve host names.
   */
  withHostsFile(hostsFile: string | undefined): this {
    this.hostsFile = hostsFile;
    return this;
  }

  /** `signal` aborts the wait for readiness (Ctrl-C while Keycloak boots): the process is stopped. */
  async start({ signal }: { signal?: AbortSignal } = {}): Promise<StartedNativeKeycloak> {
    await assertPortsFree([
      { port: this.httpPort, what: t('up.port.keycloak-http'), setting: 'KEYCLOAK_PORT' },
      { port: this.managementPort, what: t('up.port.keycloak-management'), setting: 'KEYCLOAK_MANAGEMENT_PORT' },
    ]);
    const java = pickJavaRuntime(this.version);
    const home = this.home
      ? await ensureKeycloakDistribution(this.version, this.cacheDir, { keycloakHome: this.home })
      : await ensureKeycloakInstance(this.version, this.instanceName, this.cacheDir, this.prefetchDir);
    const build: KeycloakBuildOptions = { database: this.database, features: this.features };
    const buildMs = await ensureOptimizedBuild(home, java, build, { version: this.version, signal });
    if (buildMs !== undefined) console.error(describeBuild(this.version, build, buildMs));
    // Without --http-host, 26.2.4 listens on every interface; 26.7 on localhost, but its management
    // port still on every interface unless told (it inherits an explicit --http-host only). The
    // production profile's default cache is a cluster (JGroups on the machine's own address):
    // `--cache=local` keeps a learner's Keycloak to itself.
    const args = [
      'start',
      '--optimized',
      '--http-enabled=true',
      '--cache=local',
      `--http-host=${this.listenAddress}`,
      `--http-port=${this.httpPort}`,
      `--http-management-host=${this.listenAddress}`,
      `--http-management-port=${this.managementPort}`,
    ];
    // The production profile insists on a host name; without one, Keycloak answers as it is reached.
    if (this.hostnameUrl) args.push(`--hostname=${this.hostnameUrl}`, '--hostname-backchannel-dynamic=true');
    else args.push('--hostname-strict=false');
    if (this.hostnameUrl && this.adminConsoleUrl && this.adminConsoleUrl !== this.hostnameUrl)
      args.push(`--hostname-admin=${this.adminConsoleUrl}`);
    if (this.proxyHeaders) args.push(`--proxy-headers=${this.proxyHeaders}`);
    if (this.truststorePaths.length > 0) args.push(`--truststore-paths=${this.truststorePaths.join(',')}`);
    const managementUrl = `http://${urlHost(this.listenAddress)}:${this.managementPort}`;
    const admin = { username: this.adminUsername, password: this.adminPassword };
    const launch = () =>
      startKcSh({
        version: this.version,
        home,
        java,
        args,
        logPath: this.logPath,
        managementUrl,
        javaOptions: this.hostsFile ? [`-Djdk.net.hosts.file=${this.hostsFile}`] : [],
        admin,
        readyTimeoutMs: this.startupTimeoutMs,
        signal,
      });
    const service = this.freshDatabase ? await startOnFreshDatabase(home, admin, launch) : await launch();
    return new StartedNativeKeycloak(
      service,
      this.version,
      java,
      this.hostnameUrl ?? `http://localhost:${this.httpPort}`,
      managementUrl,
      this.features,
    );
  }
}

/**
 * The one place `kc.sh` is launched: in its own process group (so stopping it reaches the JVM it
 * forks), on the JDK picked for the version, with health endpoints on, until /health/ready answers.
 */
export function startKcSh({
  version,
  home,
  java,
  args,
  javaOptions = [],
  logPath,
  managementUrl,
  admin,
  readyTimeoutMs,
  signal,
}: {
  version: string;
  home: string;
  java: JavaRuntime;
  args: string[];
  /** Appended to the JVM's options (JAVA_OPTS_APPEND). */
  javaOptions?: string[];
  logPath: string;
  /** Where the management interface answers, e.g. http://127.0.0.1:9000. */
  managementUrl: string;
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
      ...(javaOptions.length > 0 ? { JAVA_OPTS_APPEND: javaOptions.join(' ') } : {}),
    },
    logPath,
    ready: `${managementUrl}/health/ready`,
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
  private readonly managementUrl: string;
  private readonly features: readonly string[];

  constructor(
    service: StartedService,
    version: string,
    java: JavaRuntime,
    url: string,
    managementUrl: string,
    features: readonly string[] = [],
  ) {
    this.service = service;
    this.version = version;
    this.java = java;
    this.url = url;
    this.managementUrl = managementUrl;
    this.features = features;
  }

  /** The URL browsers use: the configured host name (hostname v2), e.g. a room's LAB_PUBLIC_HOST. */
  getUrl(): string {
    return this.url;
  }
  getManagementUrl(): string {
    return this.managementUrl;
  }
  getLogPath(): string {
    return this.service.logPath;
  }
  getVersion(): string {
    return this.version;
  }
  /** The features it was started with (`--features`). */
  getFeatures(): readonly string[] {
    return this.features;
  }
  getPid(): number {
    return this.service.pid;
  }

  /** SIGTERM to the whole process group, SIGKILL if the JVM is still there after 20 s. */
  stop(): Promise<void> {
    return this.service.stop();
  }
}
