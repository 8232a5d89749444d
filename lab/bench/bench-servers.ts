/**
 * The Keycloak and servers the load experiments share, as fixtures: each is started the first time
 * an experiment asks for it, once per bench, and its stop goes into the bench's stop list. So
 * `--only startup` starts none of them, and `--only classroom` no floor server.
 */
import os from 'node:os';
import path from 'node:path';
import { repoRoot, withSettings, type AuthMode, type LabConfig } from '../../core/config.ts';
import { startService } from '../../core/process.ts';
import type { StopList } from '../../core/stop-list.ts';
import { NativeKeycloak, type StartedNativeKeycloak } from '../keycloak/native-keycloak.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../whoami-process.ts';
import { connectAndProvision } from '../../provisioning/provision.ts';
import type { BenchPorts } from './experiment.ts';
import { loginThroughForm } from './form-login.ts';

export interface ProvisionedKeycloak {
  keycloak: StartedNativeKeycloak;
  /** The lab's settings pointed at the bench's Keycloak and spec-mode server. */
  benchConfig: LabConfig;
}

export class BenchServers {
  readonly #config: LabConfig;
  readonly #ports: BenchPorts;
  readonly #stops: StopList;
  #keycloak: Promise<ProvisionedKeycloak> | undefined;
  #whoamiServers: Promise<ReadonlyMap<AuthMode, StartedWhoamiServer>> | undefined;
  #floorServerUrl: Promise<string> | undefined;

  constructor(config: LabConfig, ports: BenchPorts, stops: StopList) {
    this.#config = config;
    this.#ports = ports;
    this.#stops = stops;
  }

  /** Keycloak on an in-memory database, provisioned as the lab provisions it. */
  keycloak(): Promise<ProvisionedKeycloak> {
    this.#keycloak ??= this.#startKeycloak();
    return this.#keycloak;
  }

  /** The Node whoami server in tutorial mode and in spec mode. */
  whoamiServers(): Promise<ReadonlyMap<AuthMode, StartedWhoamiServer>> {
    this.#whoamiServers ??= this.#startWhoamiServers();
    return this.#whoamiServers;
  }

  /** A bare express endpoint, no MCP, no auth: the floor of the latency table. Its URL. */
  floorServerUrl(): Promise<string> {
    this.#floorServerUrl ??= this.#stops
      .adopt(
        startService({
          description: 'The bare express server',
          file: process.execPath,
          args: [path.join(repoRoot, 'lab', 'bench', 'bare-express-server.ts'), String(this.#ports.floor)],
          logPath: path.join(os.tmpdir(), 'lab-bench-floor.log'),
          ready: `http://localhost:${this.#ports.floor}/healthz`,
          readyTimeoutMs: 10_000,
        }),
      )
      .then(() => `http://localhost:${this.#ports.floor}`);
    return this.#floorServerUrl;
  }

  /**
   * An access token through Keycloak's login form, as a user gets one. Spec mode asks for its
   * scope and names the server as the resource (RFC 8707), as an MCP client does.
   */
  async accessToken(mode: AuthMode, username: string, password: string): Promise<string> {
    const { benchConfig } = await this.keycloak();
    const { client, server } = this.#config;
    return (
      await loginThroughForm({
        issuer: benchConfig.realm.issuer,
        clientId: client.id,
        redirectUri: client.testRedirectUri,
        scope: mode === 'spec' ? `${client.scope} ${server.whoamiScope}` : client.scope,
        resource: mode === 'spec' ? this.#specUrl() : undefined,
        username,
        password,
      })
    ).access_token;
  }

  async #startKeycloak(): Promise<ProvisionedKeycloak> {
    const ports = this.#ports;
    const keycloak = await this.#stops.adopt(
      new NativeKeycloak(this.#config.keycloak.version, this.#config.cacheDir)
        .withInstanceName('bench')
        .withPorts(ports.keycloak, ports.management)
        .withHostnameUrl(`http://localhost:${ports.keycloak}`)
        .withDatabase('dev-mem')
        .start(),
    );
    // Provisioned for the spec-mode server's URL: its audience mapper puts that resource into `aud`.
    const benchConfig = withSettings(this.#config, {
      KEYCLOAK_PORT: String(ports.keycloak),
      KEYCLOAK_URL: keycloak.getUrl(),
      KEYCLOAK_INTERNAL_URL: '',
      WHOAMI_PORT: String(ports.specWhoami),
      WHOAMI_URL: '',
      AUTH_MODE: 'spec',
    });
    await connectAndProvision(benchConfig);
    return { keycloak, benchConfig };
  }

  async #startWhoamiServers(): Promise<ReadonlyMap<AuthMode, StartedWhoamiServer>> {
    const { benchConfig } = await this.keycloak();
    const servers = new Map<AuthMode, StartedWhoamiServer>();
    for (const [mode, port] of [
      ['tutorial', this.#ports.whoami],
      ['spec', this.#ports.specWhoami],
    ] as const) {
      servers.set(
        mode,
        await this.#stops.adopt(
          startWhoamiServer(withSettings(benchConfig, { WHOAMI_PORT: String(port), AUTH_MODE: mode, WHOAMI_SDK: 'node' }), {
            logPath: path.join(os.tmpdir(), `lab-bench-whoami-${mode}.log`),
          }),
        ),
      );
    }
    return servers;
  }

  #specUrl(): string {
    return `http://localhost:${this.#ports.specWhoami}`;
  }
}
