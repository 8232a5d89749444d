import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeDefaults, repoRoot, type LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
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
    "the Python server's packages",
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
      `Python packages: ${count} files in ${wheels} (for Python ${pythonVersion} on ${process.platform}-${process.arch}, as on this machine)`,
  );

  await step(
    'the npm packages',
    async () => {
      const cache = prefetchedNpmCache(target);
      await fillNpmCache(cache);
      return cache;
    },
    (cache) => `npm packages: the lockfile's, in ${cache} (\`npm ci --offline --cache ${cache}\`)`,
  );

  const images = withImages
    ? await step(
        'the docker compose images',
        () => saveImages(config, prefetchedImages(target)),
        (saved) => saved,
      )
    : 'docker images: left out (--no-images)';
  if (!withImages) console.log(`- ${images}`);

  writeFileSync(path.join(target, 'README.txt'), readme(target, version, images));
  console.log(`Ready: copy ${target} to each machine of the room, then follow ${path.join(target, 'README.txt')}.`);
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
      throw new LabError(
        'ERR_INSTALL',
        `npm ci (to fill ${cache}) failed: ${installed.stderr.trim().split('\n').at(-1) ?? `exit code ${installed.exitCode}`}`,
      );
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
  if (engine.exitCode !== 0) return 'docker images: none (no Docker engine answers here); a room using the lab natively does not need them';
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
      throw new LabError('ERR_INSTALL', `docker save failed: ${saved.stderr.trim().split('\n').at(-1)}`);
    }
    renameSync(staging, into);
  }
  return `docker images: ${present.length ? `${present.join(', ')} in ${into} (${megabytes(statSync(into).size)} MB)` : 'none'}${missing.length ? `; not on this machine (run \`docker compose pull\` and \`docker compose build\` first): ${missing.join(', ')}` : ''}`;
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
  return `MCP Auth Lab, prefetched for a room without internet (Keycloak ${version}).

On each machine, with a clone of the lab beside this folder (Node, Java, and python3 for the Python tab installed):

  npm ci --offline --cache ${prefetchedNpmCache(target)}
  LAB_PREFETCH_DIR=${target} npm run lab

LAB_PREFETCH_DIR makes the lab take Keycloak and the Python server's packages from this folder and
never from the network. If this folder is somewhere else on that machine, use its path there.

docker compose instead: docker load -i ${prefetchedImages(target)}, then docker compose up.
${images}
`;
}
