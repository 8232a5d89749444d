import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { seededMarkerPath } from '../../lab/logto/logto-postgres.ts';
import { logtoDbUrl, newestPostgresBinDir, postgresBinDir, postgresPasswordPath } from '../../provisioning/logto-database.ts';
import { expect, test } from '@playwright/test';

/** A /usr/lib/postgresql/<major>/bin as far as the lab looks: the two files, never run. */
function fakeBinDir(root: string, major: string, files = ['postgres', 'initdb']): string {
  const bin = path.join(root, major, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const file of files) writeFileSync(path.join(bin, file), '');
  return bin;
}

function refusalOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    return `${error.code}: ${error.toLine()}`;
  }
  return 'no refusal';
}

test.describe("PostgreSQL's server binaries", () => {
  test('the newest version 14 or later that has both postgres and initdb', ({}, testInfo) => {
    const root = testInfo.outputPath('postgresql');
    fakeBinDir(root, '13');
    const fifteen = fakeBinDir(root, '15');
    fakeBinDir(root, '17', ['postgres']);
    fakeBinDir(root, 'latest');

    expect(newestPostgresBinDir(root)).toBe(fifteen);
  });

  test('none when only older versions, or nothing, is installed', ({}, testInfo) => {
    const root = testInfo.outputPath('postgresql');
    fakeBinDir(root, '12');

    expect(newestPostgresBinDir(root)).toBeUndefined();
    expect(newestPostgresBinDir(testInfo.outputPath('nowhere'))).toBeUndefined();
  });

  test('POSTGRES_BIN_DIR wins, and one without the binaries is refused by name', ({}, testInfo) => {
    const bin = fakeBinDir(testInfo.outputPath('pg'), '16');
    expect(postgresBinDir(loadConfig({ POSTGRES_BIN_DIR: bin }))).toBe(bin);

    const empty = testInfo.outputPath('empty');
    expect(refusalOf(() => postgresBinDir(loadConfig({ POSTGRES_BIN_DIR: empty })))).toBe(
      `ERR_CONFIG: POSTGRES_BIN_DIR=${empty} has no postgres and initdb — point it at PostgreSQL's server binaries (e.g. /usr/lib/postgresql/15/bin), or unset it`,
    );
  });
});

test.describe("the database's files", () => {
  test('the password and the seeded markers live beside the data folder', () => {
    expect(postgresPasswordPath('/state/logto/postgres')).toBe('/state/logto/postgres-password');
    expect(seededMarkerPath('/state/logto/postgres', '40f5f1b8480a-0123abcd')).toBe('/state/logto/seeded-40f5f1b8480a-0123abcd');
  });

  test('DB_URL is made from the password initdb was given, on loopback and LOGTO_DB_PORT', ({}, testInfo) => {
    const dbDir = testInfo.outputPath('logto', 'postgres');
    const config = loadConfig({ LOGTO_DB_DIR: dbDir, LOGTO_DB_PORT: '18585' });
    expect(refusalOf(() => logtoDbUrl(config))).toContain(`ERR_NOT_RUNNING: Logto's PostgreSQL has not been made in ${dbDir}`);

    mkdirSync(path.dirname(dbDir), { recursive: true });
    writeFileSync(postgresPasswordPath(dbDir), 'pa-ss_word\n');
    expect(logtoDbUrl(config)).toBe('postgres://logto:pa-ss_word@127.0.0.1:18585/logto');
  });
});
