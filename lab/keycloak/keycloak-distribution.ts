import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { runCommand } from '../../core/process.ts';
import { prefetchedKeycloakZip } from '../prefetch-layout.ts';
import { DownloadProgress } from './download-progress.ts';

/**
 * Returns the home of an unpacked Keycloak distribution of `version` in `cacheDir`, downloading it
 * through Maven (`org.keycloak:keycloak-quarkus-dist`) the first time, or taking it from a folder
 * `lab prefetch` filled. A second call finds it and downloads nothing. `keycloakHome`
 * (KEYCLOAK_HOME) short-circuits all of this.
 */
export async function ensureKeycloakDistribution(
  version: string,
  cacheDir: string,
  { keycloakHome, prefetchDir }: { keycloakHome?: string; prefetchDir?: string } = {},
): Promise<string> {
  if (keycloakHome) {
    if (!existsSync(path.join(keycloakHome, 'bin', 'kc.sh'))) {
      throw new LabError('ERR_KEYCLOAK_DOWNLOAD', t('up.keycloak.home-without-kc-sh', { home: keycloakHome }), {
        hint: t('up.keycloak.home-without-kc-sh.hint'),
      });
    }
    return keycloakHome;
  }
  const home = path.join(cacheDir, `keycloak-${version}`);
  if (existsSync(path.join(home, 'bin', 'kc.sh'))) return home;

  const zip = await ensureKeycloakZip(version, cacheDir, prefetchDir);
  // Unpack next to the final place and rename, so an interrupted unzip never looks complete.
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const unzip = await runCommand('unzip', ['-q', zip, '-d', staging]);
  if (unzip.exitCode !== 0)
    throw new LabError('ERR_KEYCLOAK_DOWNLOAD', t('up.keycloak.unpack-failed', { zip, reason: unzip.stderr.trim().split('\n')[0] ?? '' }), {
      hint: t('up.keycloak.unpack-failed.hint'),
    });
  renameSync(path.join(staging, `keycloak-${version}`), home);
  rmSync(staging, { recursive: true, force: true });
  return home;
}

/**
 * The distribution's zip in `cacheDir`, checked whole: copied from `prefetchDir` when one is
 * given (no network), downloaded through Maven otherwise.
 */
export async function ensureKeycloakZip(version: string, cacheDir: string, prefetchDir?: string): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const zip = path.join(cacheDir, keycloakZipName(version));
  // A zip left by an interrupted or damaged download is replaced, never unpacked.
  if (existsSync(zip) && !(await isCompleteZip(zip))) {
    console.error(t('up.keycloak.zip-damaged', { zip, action: prefetchDir ? 'copy' : 'download' }));
    rmSync(zip);
  }
  if (existsSync(zip)) return zip;
  if (prefetchDir) await copyPrefetched(version, prefetchDir, zip);
  else await downloadDistribution(version, zip);
  return zip;
}

export function keycloakZipName(version: string): string {
  return `keycloak-quarkus-dist-${version}.zip`;
}

async function copyPrefetched(version: string, prefetchDir: string, zip: string): Promise<void> {
  const prefetched = prefetchedKeycloakZip(prefetchDir, version);
  if (!existsSync(prefetched)) {
    throw new LabError(
      'ERR_KEYCLOAK_DOWNLOAD',
      t('up.keycloak.prefetch-missing', { dir: prefetchDir, version, file: path.relative(prefetchDir, prefetched) }),
      { hint: t('up.keycloak.prefetch-missing.hint', { version, dir: prefetchDir }) },
    );
  }
  const staging = `${zip}.partial`;
  cpSync(prefetched, staging);
  if (!(await isCompleteZip(staging))) {
    rmSync(staging, { force: true });
    throw new LabError('ERR_KEYCLOAK_DOWNLOAD', t('up.keycloak.prefetch-damaged', { file: prefetched }), {
      hint: t('up.keycloak.prefetch-damaged.hint'),
    });
  }
  renameSync(staging, zip);
  console.error(t('up.keycloak.prefetch-taken', { version, dir: prefetchDir }));
}

/**
 * A private copy of the distribution for one purpose ("lab", "e2e"). `kc.sh build` writes the
 * server's build into its own folder (keycloak-build.ts), so two Keycloaks started from one folder
 * with other options — a learner's lab and a test run, say — would rebuild each other's files. The
 * copy is made once.
 */
export async function ensureKeycloakInstance(
  version: string,
  instanceName: string,
  cacheDir: string,
  prefetchDir?: string,
): Promise<string> {
  const home = path.join(cacheDir, 'instances', `${instanceName}-${version}`);
  if (existsSync(path.join(home, 'bin', 'kc.sh'))) return home;
  const pristine = await ensureKeycloakDistribution(version, cacheDir, { prefetchDir });
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(pristine, staging, { recursive: true });
  renameSync(staging, home);
  return home;
}

/** Whether every entry of the zip is there and passes its CRC (`unzip -t`). */
async function isCompleteZip(zip: string): Promise<boolean> {
  return (await runCommand('unzip', ['-tqq', zip])).exitCode === 0;
}

/**
 * Downloads the distribution through Maven into a folder of its own, checks it, then moves it into
 * place: Ctrl-C or a broken connection leaves no file under the final name.
 */
async function downloadDistribution(version: string, zip: string): Promise<void> {
  const staging = `${zip}.partial`;
  rmSync(staging, { recursive: true, force: true });
  console.error(t('up.keycloak.downloading', { version }));
  const progress = new DownloadProgress(`Keycloak ${version}`, path.basename(zip));
  // Not in batch mode: only then does Maven report the transfer's progress.
  const download = await runCommand(
    'mvn',
    [
      '-Dstyle.color=never',
      'dependency:copy',
      `-Dartifact=org.keycloak:keycloak-quarkus-dist:${version}:zip`,
      `-DoutputDirectory=${staging}`,
    ],
    { onStdout: progress.read },
  );
  const downloaded = path.join(staging, path.basename(zip));
  if (download.exitCode !== 0 || !existsSync(downloaded)) {
    rmSync(staging, { recursive: true, force: true });
    throw new LabError('ERR_KEYCLOAK_DOWNLOAD', t('up.keycloak.download-failed', { version }), {
      hint: t('up.keycloak.download-failed.hint'),
    });
  }
  if (!(await isCompleteZip(downloaded))) {
    rmSync(staging, { recursive: true, force: true });
    throw new LabError('ERR_KEYCLOAK_DOWNLOAD', t('up.keycloak.download-damaged', { version }), {
      hint: t('up.keycloak.download-damaged.hint', { version }),
    });
  }
  progress.finish(statSync(downloaded).size);
  renameSync(downloaded, zip);
  rmSync(staging, { recursive: true, force: true });
}
