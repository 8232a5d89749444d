import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LabError } from '../errors.ts';

const run = promisify(execFile);

/** Where downloaded and unpacked distributions live between runs. */
export function labCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'mcp-auth-lab');
}

/**
 * Returns the home of an unpacked Keycloak distribution of `version`, downloading it through Maven
 * (`org.keycloak:keycloak-quarkus-dist`) the first time. A second call finds it and downloads
 * nothing. `KEYCLOAK_HOME` short-circuits all of this.
 */
export async function ensureKeycloakDistribution(version: string, keycloakHome?: string): Promise<string> {
  if (keycloakHome) {
    if (!existsSync(path.join(keycloakHome, 'bin', 'kc.sh'))) {
      throw new LabError('ERR_KEYCLOAK_DOWNLOAD', `KEYCLOAK_HOME=${keycloakHome} has no bin/kc.sh`, {
        hint: 'point it at an unpacked Keycloak distribution, or unset it to let the lab download one',
      });
    }
    return keycloakHome;
  }
  const cacheDir = labCacheDir();
  const home = path.join(cacheDir, `keycloak-${version}`);
  if (existsSync(path.join(home, 'bin', 'kc.sh'))) return home;

  mkdirSync(cacheDir, { recursive: true });
  const zip = path.join(cacheDir, `keycloak-quarkus-dist-${version}.zip`);
  if (!existsSync(zip)) {
    try {
      await run('mvn', [
        '-q', '-B', 'dependency:copy',
        `-Dartifact=org.keycloak:keycloak-quarkus-dist:${version}:zip`,
        `-DoutputDirectory=${cacheDir}`,
      ], { maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      throw new LabError('ERR_KEYCLOAK_DOWNLOAD', `Could not download Keycloak ${version} with Maven (org.keycloak:keycloak-quarkus-dist:${version}:zip)`, {
        hint: 'check that `mvn` is installed and the version exists, or set KEYCLOAK_HOME to an unpacked distribution',
        cause: error,
      });
    }
  }
  // Unpack next to the final place and rename, so an interrupted unzip never looks complete.
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await run('unzip', ['-q', zip, '-d', staging]);
  renameSync(path.join(staging, `keycloak-${version}`), home);
  rmSync(staging, { recursive: true, force: true });
  return home;
}

/**
 * A private copy of the distribution for one purpose ("lab", "e2e"). `kc.sh start-dev` rebuilds
 * the server inside its own folder at every start, so two Keycloaks started from one folder — a
 * learner's lab and a test run, say — would rebuild each other's files. The copy is made once.
 */
export async function ensureKeycloakInstance(version: string, instanceName: string): Promise<string> {
  const home = path.join(labCacheDir(), 'instances', `${instanceName}-${version}`);
  if (existsSync(path.join(home, 'bin', 'kc.sh'))) return home;
  const pristine = await ensureKeycloakDistribution(version);
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(pristine, staging, { recursive: true });
  renameSync(staging, home);
  return home;
}
