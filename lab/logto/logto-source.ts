/**
 * The Logto source the Logto tab builds (lab/logto/logto-build.ts): one snapshot of the open-source
 * Logto repository as a tarball, checked against its sha256. Logto has no registry distribution
 * (`@logto/core` is not published, `@logto/cli init` downloads from GitHub), so the tarball comes
 * from LOGTO_TARBALL, the cache, or a folder `lab prefetch` filled.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';

/** The one Logto source the lab knows how to build. */
export const logtoSource = Object.freeze({
  commit: '1fbc55441f',
  /** `packages/core/package.json` at that commit. */
  version: '1.42.0',
  sha256: '40f5f1b8480a2a49aa70025b3f0be85f8503bac4139c680a0dd32f65b9dfea33',
  fileName: 'logto-1fbc55441f.tar.gz',
});

/** Where `lab prefetch DIR` would put it, and where LAB_PREFETCH_DIR=DIR is looked in. */
export const prefetchedLogtoTarball = (prefetchDir: string) => path.join(prefetchDir, 'logto', logtoSource.fileName);

export interface LogtoTarball {
  path: string;
  /** Which setting or folder it was found through, for messages. */
  foundThrough: string;
}

/**
 * The tarball, checked: LOGTO_TARBALL when set (and then nothing else), else the cache's copy, else
 * the prefetched one. Missing or damaged is one line that says to set LOGTO_TARBALL.
 */
export function findLogtoTarball(config: LabConfig): LogtoTarball {
  const candidates = tarballCandidates(config);
  const found = candidates.find((candidate) => existsSync(candidate.path));
  if (!found) {
    const looked = candidates.map((candidate) => candidate.path).join(', ');
    throw new LabError('ERR_CONFIG', t('up.logto.tarball-missing', { file: logtoSource.fileName, looked }), {
      hint: t('up.logto.tarball-missing.hint', { file: logtoSource.fileName, sha: logtoSource.sha256.slice(0, 12), dir: config.cacheDir }),
    });
  }
  const actual = sha256OfFile(found.path);
  if (actual !== logtoSource.sha256) {
    throw new LabError(
      'ERR_CONFIG',
      t('up.logto.tarball-wrong', {
        path: found.path,
        through: found.foundThrough,
        commit: logtoSource.commit,
        actual: actual.slice(0, 12),
        expected: logtoSource.sha256.slice(0, 12),
      }),
      { hint: t('up.logto.tarball-wrong.hint', { file: logtoSource.fileName }) },
    );
  }
  return found;
}

function tarballCandidates(config: LabConfig): LogtoTarball[] {
  if (config.logto.tarball) return [{ path: path.resolve(config.logto.tarball), foundThrough: 'LOGTO_TARBALL' }];
  return [
    { path: path.join(config.cacheDir, logtoSource.fileName), foundThrough: t('up.logto.through-cache') },
    ...(config.prefetchDir ? [{ path: prefetchedLogtoTarball(config.prefetchDir), foundThrough: 'LAB_PREFETCH_DIR' }] : []),
  ];
}

/** 13 MB: read at once (0.05 s here). */
function sha256OfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
