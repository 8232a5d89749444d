/**
 * The Keycloak, servers and browser the load experiments share, as fixtures: each is started the
 * first time an experiment asks for it, once per bench, and its stop goes into the bench's stop
 * list. So `--only startup` starts none of them, and `--only spec` neither Python nor a browser.
 */
import os from 'node:os';
import path from 'node:path';
import { repoRoot, withSettings, type AuthMode, type LabConfig, type WhoamiSdk } from '../../core/config.ts';
import { startService } from '../../core/process.ts';
import type { StopList } from '../../core/stop-list.ts';
import { NativeKeycloak, type StartedNativeKeycloak } from '../keycloak/native-keycloak.ts';
import { ensurePythonVenv, type PythonVenv } from '../python-venv.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../whoami-process.ts';
import { connectAndProvision } from '../../provisioning/provision.ts';
import { LoginBrowser, keycloakMetadata } from './browser-logins.ts';
import type { BenchPorts } from './experiment.ts';

export interface ProvisionedKeycloak {
  keycloak: StartedNativeKeycloak;
  /** The lab's settings pointed at the bench's Keycloak and spec-mode server. */
  benchConfig: LabConfig;
}

/** A server the bench started: where it answers and which process to weigh. */
export interface BenchServer {
  url: string;
  pid: number;
}

/** The floors and steps that are not whoami: each a small server of lab/bench/. */
export type FloorServer = 'express' | 'mcp-sdk' | 'starlette';

/** A whoami server the experiments load: the Node server in either mode, the Python one, or the classroom's own. */
export type WhoamiRole = 'node-tutorial' | 'node-spec' | 'python' | 'classroom';

export class BenchServers {
  readonly #config: LabConfig;
  readonly #ports: BenchPorts;
  readonly #stops: StopList;
  #keycloak: Promise<ProvisionedKeycloak> | undefined;
  #venv: Promise<PythonVenv> | undefined;
  #browser: Promise<LoginBrowser> | undefined;
  readonly #whoamiServers = new Map<WhoamiRole, Promise<StartedWhoamiServer>>();
  readonly #floorServers = new Map<FloorServer, Promise<BenchServer>>();

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

  /** The classroom's is a tutorial-mode Node server of its own, so that its memory is the classroom's alone. */
  whoamiServer(role: WhoamiRole): Promise<StartedWhoamiServer> {
    let server = this.#whoamiServers.get(role);
    if (!server) {
      server = this.#startWhoamiServer(role);
      this.#whoamiServers.set(role, server);
    }
    return server;
  }

  floorServer(floor: FloorServer): Promise<BenchServer> {
    let server = this.#floorServers.get(floor);
    if (!server) {
      server = this.#startFloorServer(floor);
      this.#floorServers.set(floor, server);
    }
    return server;
  }

  /** One Chromium for every login of the bench. */
  browser(): Promise<LoginBrowser> {
    this.#browser ??= LoginBrowser.launch().then((browser) => {
      this.#stops.add(() => browser.close());
      return browser;
    });
    return this.#browser;
  }

  /**
   * An access token through Keycloak's login form, as a user gets one. Spec mode asks for its
   * scope and names the spec-mode server as the resource (RFC 8707), as an MCP client does.
   */
  async accessToken(mode: AuthMode, username: string, password: string): Promise<string> {
    const { benchConfig } = await this.keycloak();
    const { client, server } = this.#config;
    const issuer = benchConfig.realm.issuer;
    return (await this.browser()).accessToken(
      {
        metadata: await keycloakMetadata(issuer),
        issuer,
        clientId: client.id,
        redirectUri: client.testRedirectUri,
        scope: mode === 'spec' ? `${client.scope} ${server.whoamiScope}` : client.scope,
        resource: mode === 'spec' ? `http://localhost:${this.#ports.specWhoami}` : undefined,
      },
      { username, password },
    );
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

  async #startWhoamiServer(role: WhoamiRole): Promise<StartedWhoamiServer> {
    const { benchConfig } = await this.keycloak();
    const { port, mode, sdk } = (
      {
        'node-tutorial': { port: this.#ports.whoami, mode: 'tutorial', sdk: 'node' },
        'node-spec': { port: this.#ports.specWhoami, mode: 'spec', sdk: 'node' },
        python: { port: this.#ports.pythonWhoami, mode: 'tutorial', sdk: 'python' },
        classroom: { port: this.#ports.classroomWhoami, mode: 'tutorial', sdk: 'node' },
      } as const satisfies Record<WhoamiRole, { port: number; mode: AuthMode; sdk: WhoamiSdk }>
    )[role];
    return this.#stops.adopt(
      startWhoamiServer(withSettings(benchConfig, { WHOAMI_PORT: String(port), WHOAMI_URL: '', AUTH_MODE: mode, WHOAMI_SDK: sdk }), {
        logPath: path.join(os.tmpdir(), `lab-bench-whoami-${role}.log`),
        venv: sdk === 'python' ? await this.#pythonVenv() : undefined,
      }),
    );
  }

  async #startFloorServer(floor: FloorServer): Promise<BenchServer> {
    const port = { express: this.#ports.expressFloor, 'mcp-sdk': this.#ports.mcpSdkStep, starlette: this.#ports.starletteFloor }[floor];
    const command =
      floor === 'starlette'
        ? {
            file: (await this.#pythonVenv()).python,
            args: ['-m', 'uvicorn', 'bare_starlette_server:app', '--app-dir', path.join(repoRoot, 'lab', 'bench')],
          }
        : { file: process.execPath, args: [path.join(repoRoot, 'lab', 'bench', `bare-${floor}-server.ts`)] };
    const args =
      floor === 'starlette'
        ? [...command.args, '--host', '127.0.0.1', '--port', String(port), '--no-access-log']
        : [...command.args, String(port)];
    const { pid } = await this.#stops.adopt(
      startService({
        description: `The bench's bare ${floor} server`,
        file: command.file,
        args,
        logPath: path.join(os.tmpdir(), `lab-bench-floor-${floor}.log`),
        ready: `http://localhost:${port}/healthz`,
        readyTimeoutMs: 30_000,
      }),
    );
    return { url: `http://localhost:${port}`, pid };
  }

  #pythonVenv(): Promise<PythonVenv> {
    this.#venv ??= ensurePythonVenv(this.#config.cacheDir, {
      logPath: path.join(os.tmpdir(), 'lab-bench-python-pip.log'),
      prefetchDir: this.#config.prefetchDir,
    });
    return this.#venv;
  }
}
