import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { repoRoot, withSettings, type AuthMode, type ClientRegistration, type LabConfig, type WhoamiSdk } from '../../core/config.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../../lab/whoami-process.ts';
import { connectAdminClient } from '../../provisioning/admin-client.ts';
import type { Change } from '../../provisioning/change.ts';
import { provisionLab } from '../../provisioning/provision.ts';
import { lab } from './lab.ts';

/** A lab of a test's own on the shared Keycloak: a realm provisioned for a profile, and its whoami server. */
export interface RealmLab {
  config: LabConfig;
  /** What provisioning did on the first run. */
  provisioned: Change[];
  server: StartedWhoamiServer;
  /** The settings a lab command needs to work on this realm (see runLab). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** An admin client for the run's Keycloak, or for another one `base` describes. */
export function freshAdmin(base: LabConfig = lab) {
  return connectAdminClient({
    baseUrl: base.keycloak.adminUrl,
    username: base.keycloak.adminUsername,
    password: base.keycloak.adminPassword,
  });
}

/**
 * Provisions realm `<prefix>-<random>` with LAB_CLIENT_REGISTRATION=`registration` and starts a
 * whoami server (`sdk`'s, Node's unless told; `settings` adds to the lab's) for it in `mode` on `port`; `stop()` stops the server and deletes the realm. On the
 * run's Keycloak, or on the one `base` describes.
 */
export async function startRealmLab({
  prefix,
  registration,
  mode,
  port,
  sdk = 'node',
  base = lab,
  settings = {},
}: {
  prefix: string;
  registration: ClientRegistration;
  mode: AuthMode;
  port: number;
  sdk?: WhoamiSdk;
  base?: LabConfig;
  /** More settings of the lab, e.g. MCP_REVISION. */
  settings?: Record<string, string>;
}): Promise<RealmLab> {
  const env = {
    KEYCLOAK_REALM: `${prefix}-${randomBytes(4).toString('hex')}`,
    LAB_CLIENT_REGISTRATION: registration,
    AUTH_MODE: mode,
    WHOAMI_SDK: sdk,
    WHOAMI_PORT: String(port),
    WHOAMI_URL: '',
    ...settings,
  };
  const config = withSettings(base, env);
  const admin = await freshAdmin(config);
  const provisioned = await provisionLab(admin, config);
  // Keycloak's pages show the realm's display name: the tutorial's, in the screenshots.
  await admin.realms.update({ realm: config.realm.name }, { displayName: lab.realm.name });
  const server = await startWhoamiServer(config, {
    logPath: path.join(repoRoot, 'test-results', 'logs', `whoami-${config.realm.name}.log`),
  });
  return {
    config,
    provisioned,
    server,
    env,
    stop: async () => {
      await server.stop();
      const admin = await freshAdmin(config);
      if (await admin.realms.findOne({ realm: config.realm.name })) await admin.realms.del({ realm: config.realm.name });
    },
  };
}
