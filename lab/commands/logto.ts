import path from 'node:path';
import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { formatSeconds } from '../progress.ts';
import { ensureLogtoBuild, findLogtoBuild, logtoBuildDir, logtoBuildKey } from '../logto/logto-build.ts';
import { logtoSource } from '../logto/logto-source.ts';

export const logtoActions = ['build', 'where'] as const;

/**
 * `lab logto build`: builds Logto from its source into the cache, once (about 3 minutes and the
 * npm registry; CI runs it as a step of its own), or says which build it reuses.
 * `lab logto where`: the folder of the finished build, or that there is none (exit 1).
 */
export async function logto(config: LabConfig, action: string | undefined): Promise<number> {
  if (action === 'build') return build(config);
  if (action === 'where') return where(config);
  const actions = logtoActions.join(', ');
  throw new LabError(
    'ERR_USAGE',
    action === undefined ? t('cli.logto.needs-action', { actions }) : t('cli.logto.wrong-action', { actions, action }),
    { hint: t('cli.hint.run', { command: 'npm run lab -- logto --help' }) },
  );
}

async function build(config: LabConfig): Promise<number> {
  const logPath = path.join(config.stateDir, 'logto-build.log');
  const stopRequested = new AbortController();
  const abort = () => stopRequested.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    const built = await ensureLogtoBuild(config, { logPath, signal: stopRequested.signal, onProgress: (line) => console.log(line) });
    if (!built.built) {
      console.log(
        t('cli.logto.reusing', {
          version: built.version,
          commit: built.commit,
          dir: built.dir,
          seconds: formatSeconds(built.seconds * 1000),
        }),
      );
    }
    return 0;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

function where(config: LabConfig): number {
  const found = findLogtoBuild(config);
  if (found) {
    console.log(found.dir);
    return 0;
  }
  const dir = logtoBuildDir(config.cacheDir, logtoBuildKey(logtoSource.sha256));
  console.log(t('cli.logto.not-built', { version: logtoSource.version, commit: logtoSource.commit, dir }));
  return 1;
}
