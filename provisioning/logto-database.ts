/**
 * Where Logto's PostgreSQL is and how to reach it: its server binaries (PostgreSQL 14 or newer from
 * the distribution), psql beside them, and the DB_URL of the lab's cluster from the password its
 * initdb was given (lab/logto/logto-postgres.ts makes and starts it). Provisioning reads Logto's
 * seeded secrets through it; `lab up` and the tests start the cluster with it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import { runCommandSync } from '../core/process.ts';

const minimumPostgresMajor = 14;
const debianPostgresRoot = '/usr/lib/postgresql';

/**
 * The folder with PostgreSQL's `postgres` and `initdb`: POSTGRES_BIN_DIR, else the newest
 * /usr/lib/postgresql/<n>/bin (Debian, Ubuntu), else PATH's; one line naming the package when none.
 */
export function postgresBinDir(config: LabConfig): string {
  const configured = config.logto.postgresBinDir;
  if (configured) {
    if (!hasServerBinaries(configured)) {
      throw new LabError('ERR_CONFIG', t('provisioning.postgres.bin-dir-empty', { dir: configured }), {
        hint: t('provisioning.postgres.bin-dir-empty.hint'),
      });
    }
    return configured;
  }
  const found = newestPostgresBinDir(debianPostgresRoot) ?? postgresBinDirOnPath();
  if (!found) {
    throw new LabError('ERR_INSTALL', t('provisioning.postgres.not-installed', { major: String(minimumPostgresMajor) }), {
      hint: t('provisioning.postgres.not-installed.hint'),
    });
  }
  return found;
}

/** The newest `<root>/<n>/bin` with both binaries, n ≥ 14. */
export function newestPostgresBinDir(root: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return undefined;
  }
  return names
    .filter((name) => /^\d+$/.test(name) && Number(name) >= minimumPostgresMajor)
    .sort((a, b) => Number(b) - Number(a))
    .map((name) => path.join(root, name, 'bin'))
    .find(hasServerBinaries);
}

function postgresBinDirOnPath(): string | undefined {
  const dir = (process.env.PATH ?? '').split(path.delimiter).find((candidate) => candidate && hasServerBinaries(candidate));
  if (!dir) return undefined;
  const major = Number(/\(PostgreSQL\) (\d+)/.exec(runCommandSync(path.join(dir, 'postgres'), ['--version']).stdout)?.[1]);
  return major >= minimumPostgresMajor ? dir : undefined;
}

function hasServerBinaries(dir: string): boolean {
  return existsSync(path.join(dir, 'postgres')) && existsSync(path.join(dir, 'initdb'));
}

/**
 * The DB_URL of the database in `dbDir` on `port` (a running lab's, by default), from the password
 * its initdb was given; one line when there is no such database yet.
 */
export function logtoDbUrl(config: LabConfig, { dbDir = config.logto.dbDir, port = config.logto.dbPort } = {}): string {
  const passwordFile = postgresPasswordPath(path.resolve(dbDir));
  let password: string;
  try {
    password = readFileSync(passwordFile, 'utf8').trim();
  } catch {
    throw new LabError('ERR_NOT_RUNNING', t('provisioning.postgres.not-made', { dir: dbDir, file: passwordFile }), {
      hint: t('provisioning.postgres.not-made.hint'),
    });
  }
  return databaseUrl(password, port);
}

/** Logto's DB_URL: the `logto` role on the cluster's loopback port (the seed creates the database). */
export function databaseUrl(password: string, port: number): string {
  return `postgres://logto:${encodeURIComponent(password)}@127.0.0.1:${port}/logto`;
}

export function postgresPasswordPath(dataDir: string): string {
  return path.join(path.dirname(dataDir), 'postgres-password');
}

/** psql beside the server binaries (Debian has both), else PATH's. */
export function psqlPath(binDir: string): string {
  return existsSync(path.join(binDir, 'psql')) ? path.join(binDir, 'psql') : 'psql';
}
