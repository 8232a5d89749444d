import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeDefaults, repoRoot, type LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { runCommand } from '../../core/process.ts';
import { ensureKeycloakZip } from '../keycloak/keycloak-distribution.ts';
import { prefetchedImages, prefetchedKeycloakZip, prefetchedNpmCache, prefetchedPythonWheels } from '../prefetch-layout.ts';
import { step } from '../progress.ts';
import { ensurePythonVenv, pythonLockFile, runLogged } from '../python-venv.ts';

/**
 * `lab prefetch DIR`: everything a room without internet needs, in one folder an instructor copies
 * to a USB stick — the Keycloak distribution, the Python server's wheels, an npm cache with every
 * package of the lockfile, and the compose images this machine has (`docker save`). Not what the
 * operating system provides (Node, Java, Python, Docker). See prefetch-layout.ts for the layout.
 */
export async function prefetch(config: LabConfig, { dir, images: withImages = true }: { dir: string; images?: boolean }): Promise<number> {
  const target = path.resolve(dir);
  mkdirSync(target, { recursive: true });
  const version = config.keycloak.version;

  await step(
    `Keycloak ${version}`,
    async () => {
      const zip = await ensureKeycloakZip(version, config.cacheDir);
      const into = prefetchedKeycloakZip(target, version);
      mkdirSync(path.dirname(into), { recursive: true });
      copyWhole(zip, into);
      return into;
    },
    (into) => `Keycloak ${version}: ${into} (${megabytes(statSync(into).size)} MB)`,
  );

  await step(
    t('cli.prefetch.python'),
    async () => {
      const logPath = path.join(target, 'python-download.log');
      const venv = await ensurePythonVenv(config.cacheDir, { logPath: path.join(config.stateDir, 'prefetch-venv.log') });
      const wheels = prefetchedPythonWheels(target);
      await runLogged(
        [],
        logPath,
        venv.python,
        ['-m', 'pip', 'download', '--require-hashes', '--no-deps', '--no-input', '--dest', wheels, '-r', pythonLockFile],
        'pip download',
      );
      return { wheels, count: readdirSync(wheels).length, pythonVersion: venv.pythonVersion };
    },
    ({ wheels, count, pythonVersion }) =>
      t('cli.prefetch.python.done', { count: String(count), dir: wheels, pythonVersion, platform: `${process.platform}-${process.arch}` }),
  );

  await step(
    t('cli.prefetch.npm'),
    async () => {
      const cache = prefetchedNpmCache(target);
      await fillNpmCache(cache);
      return cache;
    },
    (cache) => t('cli.prefetch.npm.done', { cache }),
  );

  const images = withImages
    ? await step(
        t('cli.prefetch.images'),
        () => saveImages(config, prefetchedImages(target)),
        (saved) => saved,
      )
    : t('cli.prefetch.images.left-out');
  if (!withImages) console.log(`- ${images}`);

  writeFileSync(path.join(target, 'README.txt'), readme(target, version, images));
  console.log(t('cli.prefetch.ready', { dir: target, readme: path.join(target, 'README.txt') }));
  return 0;
}

/** `npm ci` of the lab's lockfile in a scratch folder, with `cache` as npm's cache: afterwards it holds every package. */
async function fillNpmCache(cache: string): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'lab-prefetch-npm-'));
  try {
    for (const file of ['package.json', 'package-lock.json', 'server/package.json', 'provisioning/package.json']) {
      mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      copyFileSync(path.join(repoRoot, file), path.join(scratch, file));
    }
    const installed = await runCommand('npm', ['ci', '--cache', cache, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: scratch,
      timeoutMs: 900_000,
    });
    if (installed.exitCode !== 0) {
      const detail = installed.stderr.trim().split('\n').at(-1) ?? t('cli.prefetch.exit-code', { code: String(installed.exitCode) });
      throw new LabError('ERR_INSTALL', t('cli.prefetch.npm.failed', { cache, detail }));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The images docker-compose.yml names, as this machine's settings resolve them. */
export function composeImages(config: LabConfig): string[] {
  const setting = (name: keyof typeof composeDefaults) => config.settings[name] ?? composeDefaults[name];
  return [
    `${setting('KEYCLOAK_IMAGE_REPOSITORY')}:${setting('KEYCLOAK_VERSION')}`,
    // What compose builds from it (docker/keycloak.Dockerfile); with it saved, the room builds nothing.
    `mcp-auth-lab/keycloak-optimized:${setting('KEYCLOAK_VERSION')}`,
    'mcp-auth-lab/provision:local',
    'mcp-auth-lab/whoami-node:local',
    'mcp-auth-lab/whoami-python:local',
    `mcp-auth-lab/inspector:${setting('INSPECTOR_VERSION')}`,
    setting('NGINX_IMAGE'),
  ];
}

/** `docker save` of the compose images this machine has; a line saying what is missing, never a failure. */
async function saveImages(config: LabConfig, into: string): Promise<string> {
  const engine = await runCommand('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
  if (engine.exitCode !== 0) return t('cli.prefetch.images.no-docker');
  const present: string[] = [];
  const missing: string[] = [];
  for (const image of composeImages(config)) {
    ((await runCommand('docker', ['image', 'inspect', image], { timeoutMs: 20_000 })).exitCode === 0 ? present : missing).push(image);
  }
  if (present.length > 0) {
    const staging = `${into}.partial`;
    const saved = await runCommand('docker', ['save', '-o', staging, ...present], { timeoutMs: 900_000 });
    if (saved.exitCode !== 0) {
      rmSync(staging, { force: true });
      throw new LabError('ERR_INSTALL', t('cli.prefetch.images.save-failed', { detail: String(saved.stderr.trim().split('\n').at(-1)) }));
    }
    renameSync(staging, into);
  }
  return t('cli.prefetch.images.saved', {
    saved: present.length ? 'yes' : 'no',
    present: present.join(', '),
    file: into,
    size: present.length ? megabytes(statSync(into).size) : '',
    missing: missing.length ? 'some' : 'none',
    missingImages: missing.join(', '),
  });
}

function copyWhole(from: string, to: string): void {
  const staging = `${to}.partial`;
  cpSync(from, staging);
  renameSync(staging, to);
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

function readme(target: string, version: string, images: string): string {
  return t('cli.prefetch.readme', {
    version,
    npmCache: prefetchedNpmCache(target),
    dir: target,
    images: prefetchedImages(target),
    imagesLine: images,
  });
}
