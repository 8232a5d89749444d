/**
 * Logto's PostgreSQL: a cluster of the lab's own (not the one Debian's package makes), in
 * LOGTO_DB_DIR, on 127.0.0.1:LOGTO_DB_PORT with no Unix socket, password (scram) authentication,
 * and fsync off (provisioning can always make its contents again).
 *
 *   <LOGTO_DB_DIR>/                        the data folder (initdb once)
 *   <LOGTO_DB_DIR>/../postgres-password    the `logto` role's password, mode 0600
 *   <LOGTO_DB_DIR>/../seeded-<build key>   written after Logto's seed (logto-process.ts)
 *
 * initdb and postgres refuse to run as root: as root the lab runs them as the `postgres` system
 * user the Debian package creates (spawn's uid/gid), which then must own the data folder and be
 * able to reach it through every parent folder.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { assertPortsFree } from '../../core/ports.ts';
import { runCommand, startService, type StartedService } from '../../core/process.ts';
import { databaseUrl, postgresBinDir, postgresPasswordPath, psqlPath } from '../../provisioning/logto-database.ts';

const readyTimeoutMs = 30_000;

export interface StartedLogtoDatabase extends StartedService {
  /** postgres://logto:…@127.0.0.1:<port>/logto: Logto's DB_URL (the seed creates the `logto` database). */
  dbUrl: string;
  dataDir: string;
}

/** Who runs PostgreSQL: this process's user, or the `postgres` user when this process is root. */
interface PostgresUser {
  uid: number;
  gid: number;
  name: string;
}

/** Written once Logto's tables are seeded by the build `buildKey` (logto-process.ts). */
export function seededMarkerPath(dataDir: string, buildKey: string): string {
  return path.join(path.dirname(dataDir), `seeded-${buildKey}`);
}

export interface LogtoDatabaseOptions {
  /** Default: config.logto.dbDir (LOGTO_DB_DIR). */
  dbDir?: string;
  /** Default: config.logto.dbPort (LOGTO_DB_PORT). */
  port?: number;
  logPath: string;
  signal?: AbortSignal;
  /**
   * The Logto build the database is for. A database seeded by another build (another tarball or
   * recipe) is removed and made again rather than migrated with Logto's alterations: simpler, and
   * provisioning makes its contents again (the App ID changes, and `lab up` prints it).
   */
  buildKey?: string;
}

/** Makes the cluster the first time (initdb, ~0.7 s), then starts postgres and waits for a query to answer (~0.1 s). */
export async function startLogtoDatabase(config: LabConfig, options: LogtoDatabaseOptions): Promise<StartedLogtoDatabase> {
  const dataDir = path.resolve(options.dbDir ?? config.logto.dbDir);
  const port = options.port ?? config.logto.dbPort;
  await assertPortsFree([{ port, what: t('up.port.logto-postgres'), setting: 'LOGTO_DB_PORT' }]);
  const binDir = postgresBinDir(config);
  const user = await postgresUser();
  if (user.uid !== process.getuid?.()) assertReachableBy(user, dataDir);
  if (options.buildKey) forgetDatabaseOfOtherBuild(dataDir, options.buildKey);
  if (!existsSync(path.join(dataDir, 'PG_VERSION')) || !existsSync(postgresPasswordPath(dataDir))) {
    await initDatabase(binDir, dataDir, user);
  }
  const password = readFileSync(postgresPasswordPath(dataDir), 'utf8').trim();
  const service = await startService({
    description: t('up.logto.postgres-description', { port: String(port) }),
    file: path.join(binDir, 'postgres'),
    // No Unix socket: /var/run/postgresql belongs to the system's cluster, and nothing here needs one.
    args: ['-D', dataDir, '-c', 'listen_addresses=127.0.0.1', '-p', String(port), '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    cwd: path.dirname(dataDir),
    logPath: options.logPath,
    ready: () => answersQuery(binDir, port, password),
    readyTimeoutMs,
    // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for Logto's connections to end.
    stopSignal: 'SIGINT',
    stopGraceMs: 10_000,
    signal: options.signal,
    ...runAs(user),
  });
  return { ...service, dbUrl: databaseUrl(password, port), dataDir };
}

/** Ready = a query answers: a TCP connection alone is accepted while the server still starts up. */
async function answersQuery(binDir: string, port: number, password: string): Promise<true | { pending: string }> {
  const psql = await runCommand(
    psqlPath(binDir),
    ['-h', '127.0.0.1', '-p', String(port), '-U', 'logto', '-d', 'postgres', '-At', '-c', 'select 1'],
    { env: { PGPASSWORD: password, PGCONNECT_TIMEOUT: '2' }, timeoutMs: 5_000 },
  );
  return psql.exitCode === 0 ? true : { pending: psql.stderr.trim().split('\n').at(-1) ?? `psql exited with ${psql.exitCode}` };
}

function forgetDatabaseOfOtherBuild(dataDir: string, buildKey: string): void {
  const parent = path.dirname(dataDir);
  const markers = existsSync(parent) ? readdirSync(parent).filter((name) => name.startsWith('seeded-')) : [];
  if (markers.length === 0 || markers.includes(`seeded-${buildKey}`)) return;
  rmSync(dataDir, { recursive: true, force: true });
  for (const marker of markers) rmSync(path.join(parent, marker), { force: true });
}

/**
 * initdb into a folder beside the data folder, renamed when complete, so an interrupted initdb is
 * never started; a new password with it. Seeded markers of an earlier cluster go.
 */
async function initDatabase(binDir: string, dataDir: string, user: PostgresUser): Promise<void> {
  const parent = path.dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  const staging = `${dataDir}.initdb-${process.pid}`;
  const passwordFile = postgresPasswordPath(dataDir);
  rmSync(staging, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  for (const marker of readdirSync(parent).filter((name) => name.startsWith('seeded-'))) rmSync(path.join(parent, marker));
  writeFileSync(passwordFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  mkdirSync(staging, { mode: 0o700 });
  chownSync(passwordFile, user.uid, user.gid);
  chownSync(staging, user.uid, user.gid);
  try {
    const initdb = await runCommand(
      path.join(binDir, 'initdb'),
      ['-D', staging, '-U', 'logto', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'],
      { cwd: parent, timeoutMs: 120_000, ...runAs(user) },
    );
    writeFileSync(path.join(parent, 'initdb.log'), `${initdb.stdout}\n${initdb.stderr}`);
    if (initdb.exitCode !== 0) {
      const last = initdb.stderr.trim().split('\n').at(-1) ?? t('up.exit-code', { code: String(initdb.exitCode) });
      throw new LabError('ERR_INSTALL', t('up.logto.initdb-failed', { dir: dataDir, reason: last }), {
        hint: t('up.hint.see-log', { path: path.join(parent, 'initdb.log') }),
      });
    }
    renameSync(staging, dataDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** spawn's uid/gid when PostgreSQL runs as another user than this process. */
function runAs(user: PostgresUser): { uid?: number; gid?: number } {
  return user.uid === process.getuid?.() ? {} : { uid: user.uid, gid: user.gid };
}

/** Root runs PostgreSQL as `postgres` (initdb refuses root); anyone else as themselves. */
async function postgresUser(): Promise<PostgresUser> {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? -1, name: 'this user' };
  const [id, gid] = await Promise.all([runCommand('id', ['-u', 'postgres']), runCommand('id', ['-g', 'postgres'])]);
  if (id.exitCode !== 0 || gid.exitCode !== 0) {
    throw new LabError('ERR_INSTALL', t('up.logto.no-postgres-user'), { hint: t('up.logto.no-postgres-user.hint') });
  }
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()), name: 'postgres' };
}

/** Every existing parent of the data folder must let `user` through (x), or postgres cannot reach its data. */
function assertReachableBy(user: PostgresUser, dataDir: string): void {
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    if (existsSync(dir)) {
      const { mode, uid, gid } = statSync(dir);
      const searchBit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
      if ((mode & searchBit) === 0) {
        throw new LabError(
          'ERR_CONFIG',
          t('up.logto.db-dir-unreachable', {
            dir: dataDir,
            user: user.name,
            uid: String(user.uid),
            parent: dir,
            mode: (mode & 0o777).toString(8),
          }),
          { hint: t('up.logto.db-dir-unreachable.hint', { parent: dir }) },
        );
      }
    }
    if (dir === path.dirname(dir)) return;
  }
}
