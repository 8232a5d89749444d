import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { GenericContainer, type GenericContainerBuilder, Wait, type StartedTestContainer } from 'testcontainers';
import { repoRoot } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { assertPortsFree } from '../../core/ports.ts';
import type { StartedKeycloak } from '../../lab/keycloak/started-keycloak.ts';

/** Inside the container; the host side of each is chosen with {@link KeycloakContainer.withHostPorts}. */
const KEYCLOAK_HTTP_PORT = 8080;
const KEYCLOAK_MANAGEMENT_PORT = 9000;

/**
 * Keycloak in a container (testcontainers): the image built with the lab's options as docker
 * compose builds it (docker/keycloak.Dockerfile: once, then from Docker's cache), started
 * `--optimized` on the container's own new database. Builder style as
 * in testcontainers' modules: defaults in the constructor, `with*` methods, `start()` returns a
 * {@link StartedKeycloakContainer}.
 *
 * The host ports are fixed, not random: Keycloak must know the URL browsers use (hostname v2)
 * before it starts, and the issuer contains that URL's port.
 */
export class KeycloakContainer {
  private readonly image: string;
  private hostHttpPort = 8080;
  private hostManagementPort = 9000;
  private hostnameUrl: string | undefined;
  private adminUsername = 'admin';
  private adminPassword = 'admin';
  private startupTimeoutMs = 180_000;
  private logPath: string | undefined;
  private features: string[] = [];

  /** `image`, e.g. quay.io/keycloak/keycloak:26.2.4 (or a stand-in laid out the same way). */
  constructor(image: string) {
    this.image = image;
  }

  withHostPorts(httpPort: number, managementPort: number): this {
    this.hostHttpPort = httpPort;
    this.hostManagementPort = managementPort;
    return this;
  }
  /** The public URL (hostname v2): one issuer however Keycloak is reached. Defaults to http://localhost:<host HTTP port>. */
  withHostnameUrl(url: string): this {
    this.hostnameUrl = url;
    return this;
  }
  withBootstrapAdmin(username: string, password: string): this {
    this.adminUsername = username;
    this.adminPassword = password;
    return this;
  }
  withStartupTimeoutMs(timeoutMs: number): this {
    this.startupTimeoutMs = timeoutMs;
    return this;
  }
  /** Features to enable at start (`--features=…`); see NativeKeycloak.withFeatures. */
  withFeatures(features: string[]): this {
    this.features = [...features];
    return this;
  }
  /** Copies the container's output to this file. */
  withLogPath(logPath: string): this {
    this.logPath = logPath;
    return this;
  }

  /** Kept after the run (not the reaper's): the next run's build is then Docker's cache. */
  private async buildOptimizedImage(): Promise<string> {
    const { name, builder } = optimizedImageOf(this.image, this.features);
    try {
      await builder.build(name, { deleteOnExit: false });
    } catch (error) {
      throw new LabError(
        'ERR_KEYCLOAK_NOT_READY',
        `Building ${name} from ${this.image} failed: ${(error as Error).message.split('\n')[0]}`,
        {
          hint: 'check `docker images` for the base image, and `docker info`',
          cause: error,
        },
      );
    }
    return name;
  }

  async start(): Promise<StartedKeycloakContainer> {
    await assertPortsFree([
      { port: this.hostHttpPort, what: 'Keycloak HTTP', setting: 'KEYCLOAK_PORT' },
      { port: this.hostManagementPort, what: 'Keycloak management', setting: 'KEYCLOAK_MANAGEMENT_PORT' },
    ]);
    // The ports are published on 127.0.0.1 only, so that is where testcontainers must look for them;
    // run inside a container (/.dockerenv), it would otherwise look at the bridge's gateway and wait
    // for a health check that never answers. Set before testcontainers' first call, which caches it.
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    const hostnameUrl = this.hostnameUrl ?? `http://localhost:${this.hostHttpPort}`;
    const logPath = this.logPath;
    let container = new LoopbackPublishedContainer(await this.buildOptimizedImage())
      // The production profile over plain HTTP, with a local cache rather than its default cluster.
      .withCommand(['start', '--optimized', '--http-enabled=true', '--cache=local'])
      .withEnvironment({
        KC_BOOTSTRAP_ADMIN_USERNAME: this.adminUsername,
        KC_BOOTSTRAP_ADMIN_PASSWORD: this.adminPassword,
        KC_HOSTNAME: hostnameUrl,
        KC_HOSTNAME_BACKCHANNEL_DYNAMIC: 'true',
      })
      .withExposedPorts(
        { container: KEYCLOAK_HTTP_PORT, host: this.hostHttpPort },
        { container: KEYCLOAK_MANAGEMENT_PORT, host: this.hostManagementPort },
      )
      .publishedOnLoopback()
      .withWaitStrategy(Wait.forHttp('/health/ready', KEYCLOAK_MANAGEMENT_PORT).forStatusCode(200))
      .withStartupTimeout(this.startupTimeoutMs);
    if (logPath) {
      mkdirSync(path.dirname(logPath), { recursive: true });
      const log = createWriteStream(logPath);
      container = container.withLogConsumer((stream) => {
        stream.pipe(log);
      });
    }

    try {
      return new StartedKeycloakContainer(await container.start(), this.image, hostnameUrl, logPath, this.features);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new LabError(
        'ERR_KEYCLOAK_NOT_READY',
        `Keycloak container ${this.image} not ready within ${Math.round(this.startupTimeoutMs / 1000)} s: ${message}`,
        {
          hint: logPath ? `see ${logPath}` : 'check `docker images` and `docker info`',
          cause: error,
        },
      );
    }
  }
}

/**
 * The image docker/keycloak.Dockerfile builds from `image` with `features`: the same one docker
 * compose builds (and tags) when there are none. Docker's cache makes every build after the first
 * take a moment.
 */
function optimizedImageOf(image: string, features: readonly string[]): { name: string; builder: GenericContainerBuilder } {
  const separator = image.lastIndexOf(':');
  const [repository, version] = [image.slice(0, separator), image.slice(separator + 1)];
  const sortedFeatures = [...features].sort();
  return {
    name: `mcp-auth-lab/keycloak-optimized:${[version, ...sortedFeatures].join('-')}`,
    builder: GenericContainer.fromDockerfile(path.join(repoRoot, 'docker'), 'keycloak.Dockerfile').withBuildArgs({
      KEYCLOAK_IMAGE_REPOSITORY: repository,
      KEYCLOAK_VERSION: version,
      KEYCLOAK_FEATURES: sortedFeatures.join(','),
    }),
  };
}

/**
 * testcontainers publishes a container's ports on every interface of the host, and has no setting
 * for the address: this one publishes the ports given so far on 127.0.0.1 only, as the lab's own
 * Keycloak listens (testcontainers finds a 127.0.0.1 binding for a Docker host named localhost).
 */
class LoopbackPublishedContainer extends GenericContainer {
  publishedOnLoopback(): this {
    const portBindings = (this.hostConfig.PortBindings ?? {}) as Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
    for (const bindings of Object.values(portBindings)) {
      for (const binding of bindings) binding.HostIp = '127.0.0.1';
    }
    return this;
  }
}

export class StartedKeycloakContainer implements StartedKeycloak {
  private readonly container: StartedTestContainer;
  private readonly image: string;
  private readonly url: string;
  private readonly logPath: string | undefined;
  private readonly features: readonly string[];

  constructor(container: StartedTestContainer, image: string, url: string, logPath: string | undefined, features: readonly string[] = []) {
    this.container = container;
    this.image = image;
    this.url = url;
    this.logPath = logPath;
    this.features = features;
  }

  getUrl(): string {
    return this.url;
  }
  getManagementUrl(): string {
    return `http://${this.container.getHost()}:${this.container.getMappedPort(KEYCLOAK_MANAGEMENT_PORT)}`;
  }
  getLogPath(): string | undefined {
    return this.logPath;
  }
  /** The image's tag, e.g. 26.2.4. */
  getVersion(): string {
    return this.image.slice(this.image.lastIndexOf(':') + 1);
  }
  getImage(): string {
    return this.image;
  }
  getFeatures(): readonly string[] {
    return this.features;
  }

  async stop(): Promise<void> {
    await this.container.stop();
  }
}
