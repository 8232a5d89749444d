/**
 * Logto itself, from the build in the cache (logto-build.ts): its database seeded once, then
 * `node .` in the deployed runtime on LOGTO_PORT (the sign-in pages and the issuer) and
 * LOGTO_ADMIN_PORT (the Console), both on loopback. Ready means discovery answers, which also
 * makes Logto initialise its tenant (3–5 s here). It takes ~380 MB of memory.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { assertPortsFree } from '../../core/ports.ts';
import { runCommand, startService, type StartedService } from '../../core/process.ts';
import type { LogtoBuild } from './logto-build.ts';
import { seededMarkerPath } from './logto-postgres.ts';

/** Logto binds every interface (`app.listen(port)`, no host setting); this preload makes it loopback. */
const listenOnLoopback = path.join(import.meta.dirname, 'listen-on-loopback.mjs');
const seedTimeoutMs = 120_000;

/**
 * Logto's tables and its two tenants (`db seed`, ~2 s), unless this build already seeded this
 * database: the marker beside the data folder says so, and then not even Logto's CLI runs.
 * `--swe` skips a database that exists anyway; `--dapc` turns off the admin tenant's password
 * breach check, which needs the internet. A database seeded by another build is made afresh by
 * startLogtoDatabase when given the build's key.
 */
export async function seedLogto(
  config: LabConfig,
  build: LogtoBuild,
  { dbUrl, logPath, dbDir = config.logto.dbDir }: { dbUrl: string; logPath: string; dbDir?: string },
): Promise<{ seeded: boolean; seconds: number }> {
  const startedAt = performance.now();
  const marker = seededMarkerPath(path.resolve(dbDir), build.key);
  if (existsSync(marker)) return { seeded: false, seconds: 0 };
  const cli = path.join(build.dir, 'node_modules', '@logto', 'cli', 'bin', 'logto.js');
  const seed = await runCommand(process.execPath, [cli, 'db', 'seed', '--swe', '--dapc'], {
    cwd: build.dir,
    env: { DB_URL: dbUrl },
    timeoutMs: seedTimeoutMs,
  });
  mkdirSync(path.dirname(logPath), { recursive: true });
  writeFileSync(logPath, `${seed.stdout}\n${seed.stderr}`);
  if (seed.exitCode !== 0) {
    const reason = t('up.logto.seed-failed', {
      reason: seed.timedOut ? 'timeout' : 'exited',
      seconds: String(seedTimeoutMs / 1000),
      detail: (seed.stderr || seed.stdout).trim().split('\n').at(-1) ?? '',
    });
    throw new LabError('ERR_PROVISIONING', reason, { hint: t('up.hint.see-log', { path: logPath }) });
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return { seeded: true, seconds: (performance.now() - startedAt) / 1000 };
}

/** Starts Logto on its two ports (after checking they are free) and waits until its discovery answers. */
export async function startLogto(
  config: LabConfig,
  build: LogtoBuild,
  { dbUrl, logPath, signal }: { dbUrl: string; logPath: string; signal?: AbortSignal },
): Promise<StartedService> {
  const { port, adminPort, url, adminUrl, issuer, readyTimeoutMs } = config.logto;
  await assertPortsFree([
    { port, what: t('up.port.logto'), setting: 'LOGTO_PORT' },
    { port: adminPort, what: t('up.port.logto-console'), setting: 'LOGTO_ADMIN_PORT' },
  ]);
  return startService({
    description: t('up.logto.description', { version: build.version, url, console: adminUrl }),
    file: process.execPath,
    args: ['--import', listenOnLoopback, '.'],
    // Core reads static/html/logout.html and the SPAs' dist folders relative to its working folder.
    cwd: build.dir,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
      ENDPOINT: url,
      ADMIN_ENDPOINT: adminUrl,
      DB_URL: dbUrl,
    },
    logPath,
    ready: `${issuer}/.well-known/openid-configuration`,
    readyTimeoutMs,
    stopGraceMs: 10_000,
    signal,
  });
}
