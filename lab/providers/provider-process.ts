import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { activeLocale, t, type Locale } from '../../core/messages.ts';
import { assertPortsFree, urlHost } from '../../core/ports.ts';
import { startService } from '../../core/process.ts';
import type { AuthServerKind, AuthServerOptions } from './auth-server.ts';

/** The server's own options (auth-server.ts), with its client and state where a process keeps them. */
export interface AuthServerProcessOptions
  extends Pick<AuthServerOptions, 'kind' | 'issuer' | 'port' | 'host' | 'users' | 'inspectorOrigins'> {
  /** The pre-registered public client, `mcp-inspector` in the tutorial. */
  clientId: string;
  redirectUris: readonly string[];
  /** Holds `<kind>-provider/`: the users file it reads and the clients it registered. */
  stateDir: string;
  logPath: string;
  readyTimeoutMs?: number;
  /** The language of its sign-in and consent pages: the lab's own (what runMain chose) unless told. */
  locale?: Locale;
}

export interface StartedAuthServerProcess {
  kind: AuthServerKind;
  issuer: string;
  /** Where it listens, e.g. http://127.0.0.1:8081. */
  url: string;
  pid: number;
  logPath: string;
  stop(): Promise<void>;
}

/** The setting a learner changes when the port is taken (core/config.ts). */
const portSettingOf = { oidc: 'OIDC_PROVIDER_PORT', oauth: 'OAUTH_PROVIDER_PORT' } as const satisfies Record<AuthServerKind, string>;

/**
 * Starts one of the lab's authorization servers (lab/providers/main.ts) as a child process and
 * waits for its /healthz. Its users go to `<stateDir>/<kind>-provider/users.json`, readable by this
 * user only (they hold passwords); the clients it registers stay in `clients.json` beside it, so
 * the Inspector's registration survives the next start.
 */
export async function startAuthServerProcess({
  kind,
  issuer,
  port,
  host = '127.0.0.1',
  users,
  inspectorOrigins,
  clientId,
  redirectUris,
  stateDir,
  logPath,
  readyTimeoutMs = 15_000,
  locale = activeLocale(),
}: AuthServerProcessOptions): Promise<StartedAuthServerProcess> {
  await assertPortsFree([{ port, what: t('up.port.auth-server', { kind }), setting: portSettingOf[kind] }]);
  const providerDir = path.join(stateDir, `${kind}-provider`);
  mkdirSync(providerDir, { recursive: true });
  const usersFile = path.join(providerDir, 'users.json');
  writeFileSync(usersFile, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  const url = `http://${urlHost(host)}:${port}`;
  const { pid, stop } = await startService({
    description: t('up.provider.description', { kind, issuer }),
    file: process.execPath,
    args: [path.join(repoRoot, 'lab', 'providers', 'main.ts')],
    // Every setting given, so none comes from this process's own environment.
    env: {
      PROVIDER_KIND: kind,
      PROVIDER_ISSUER: issuer,
      PROVIDER_PORT: String(port),
      PROVIDER_HOST: host,
      PROVIDER_USERS_FILE: usersFile,
      PROVIDER_INSPECTOR_ORIGINS: inspectorOrigins.join(','),
      PROVIDER_CLIENT_ID: clientId,
      PROVIDER_REDIRECT_URIS: redirectUris.join(','),
      PROVIDER_CLIENTS_FILE: path.join(providerDir, 'clients.json'),
      PROVIDER_BEHIND_PROXY: 'false',
      // Its pages speak the lab's language, however the lab came to it (LAB_LOCALE, LC_ALL, LANG).
      LAB_LOCALE: locale,
    },
    logPath,
    ready: `${url}/healthz`,
    readyTimeoutMs,
  });
  return { kind, issuer, url, pid, logPath, stop };
}
