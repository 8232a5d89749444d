/**
 * Once per run of the Logto tier: a fresh PostgreSQL and Logto from the build in the cache (never
 * built here: `npm run lab -- logto build` first, which CI runs as a step of its own), provisioned
 * as `lab up` provisions it plus a second user and spec mode's API resource, then the whoami
 * servers against it. The specs read the App ID from E2E_LOGTO_APP_ID.
 *
 *   Logto :8191 (Console :8192, PostgreSQL :8193)  ◄── whoami Node :3276, Python :3277 (tutorial), Node :3278, Python :3279 (spec)
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { repoRoot } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { StopList } from '../core/stop-list.ts';
import { findLogtoBuild } from '../lab/logto/logto-build.ts';
import { startLogtoDatabase } from '../lab/logto/logto-postgres.ts';
import { seedLogto, startLogto } from '../lab/logto/logto-process.ts';
import { formatSeconds } from '../lab/progress.ts';
import { ensurePythonVenv } from '../lab/python-venv.ts';
import { startWhoamiServer } from '../lab/whoami-process.ts';
import { provisionLogto } from '../provisioning/logto-provision.ts';
import { logtoDbRoot, logtoLab, logtoRunDir, logtoServerLab, logtoServers, logtoUsers, type LogtoServerName } from './support/logto-lab.ts';

export default async function logtoSetup(_: FullConfig): Promise<() => Promise<void>> {
  const startedAt = performance.now();
  const since = () => formatSeconds(performance.now() - startedAt);
  const config = logtoLab();
  const build = findLogtoBuild(config);
  if (!build) {
    throw new LabError('ERR_LOGTO_BUILD', 'Logto is not built', {
      hint: '`npm run lab -- logto build` builds it once (a few minutes; needs the npm registry)',
    });
  }
  rmSync(logtoRunDir, { recursive: true, force: true });
  rmSync(logtoDbRoot, { recursive: true, force: true });
  const logDir = path.join(logtoRunDir, 'logs');
  const stops = new StopList();
  try {
    const pythonVenv = ensurePythonVenv(config.cacheDir, { logPath: path.join(logDir, 'whoami-python-pip.log') });
    pythonVenv.catch(() => {}); // awaited below
    const database = await stops.adopt(startLogtoDatabase(config, { logPath: path.join(logDir, 'postgres.log') }));
    await seedLogto(config, build, { dbUrl: database.dbUrl, logPath: path.join(logDir, 'seed.log') });
    await stops.adopt(startLogto(config, build, { dbUrl: database.dbUrl, logPath: path.join(logDir, 'logto.log') }));
    console.log(`[logto-setup] Logto ${build.version} ready in ${since()}`);

    const users = Object.values(logtoUsers);
    const { appId } = await provisionLogto(config, { dbUrl: database.dbUrl, users });
    // Spec mode's API resources (the spec servers' URLs), their permission and the role that grants it.
    for (const name of ['spec', 'pythonSpec'] as const) await provisionLogto(logtoServerLab(name), { dbUrl: database.dbUrl, users });
    process.env.E2E_LOGTO_APP_ID = appId;
    process.env.E2E_LOGTO_DB_URL = database.dbUrl;
    console.log(`[logto-setup] provisioned (App ID ${appId}) in ${since()}`);

    const venv = await pythonVenv;
    const names = Object.keys(logtoServers) as LogtoServerName[];
    const started = await Promise.allSettled(
      names.map((name) => stops.adopt(startWhoamiServer(logtoServerLab(name), { logPath: path.join(logDir, `whoami-${name}.log`), venv }))),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    console.log(`[logto-setup] whoami servers ready in ${since()} (logs: ${path.relative(repoRoot, logDir)})`);
  } catch (error) {
    await stops.stopAllAfter(error);
  }
  return () => stops.stopAll();
}
