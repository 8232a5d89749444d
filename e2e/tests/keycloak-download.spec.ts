/**
 * The Keycloak distribution's download: a zip left by an interrupted or damaged download is found
 * and replaced, never unpacked. Maven's own repository (~/.m2) already holds the version the run
 * uses, so the "download" here is Maven copying it, not the network.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureKeycloakDistribution } from '../../lab/keycloak/keycloak-distribution.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';

test('a damaged zip in the cache is downloaded again, and nothing is left under a partial name', async () => {
  test.setTimeout(180_000);
  const version = lab.keycloak.version;
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'lab-download-'));
  try {
    const zip = path.join(cacheDir, `keycloak-quarkus-dist-${version}.zip`);
    // The first 64 KB of a zip, as a download cut off by Ctrl-C leaves it.
    writeFileSync(zip, Buffer.alloc(64 * 1024, 0x50));

    const home = await ensureKeycloakDistribution(version, cacheDir);

    expect(existsSync(path.join(home, 'bin', 'kc.sh'))).toBe(true);
    expect(statSync(zip).size).toBeGreaterThan(100 * 1024 * 1024);
    expect(readdirSync(cacheDir).sort()).toEqual([`keycloak-${version}`, `keycloak-quarkus-dist-${version}.zip`]);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
