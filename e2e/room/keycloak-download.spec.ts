/**
 * The Keycloak distribution's download: its progress (bytes, percent, rate) on a real download
 * into an empty Maven repository, and a zip left by an interrupted or damaged download found and
 * replaced, never unpacked (there Maven's own repository already holds the version: Maven copies it).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { runCommand } from '../../core/process.ts';
import { ensureKeycloakDistribution } from '../../lab/keycloak/keycloak-distribution.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';

test('a first download shows bytes, percent and rate, then how long it took', async () => {
  test.setTimeout(240_000);
  const version = lab.keycloak.version;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'lab-first-download-'));
  try {
    const cacheDir = path.join(scratch, 'cache');
    const module = path.join(repoRoot, 'lab', 'keycloak', 'keycloak-distribution.ts');
    // An empty Maven repository of its own: Maven fetches the zip over the network, as on a new machine.
    const result = await runCommand(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const { ensureKeycloakDistribution } = await import(${JSON.stringify(module)});
      await ensureKeycloakDistribution(${JSON.stringify(version)}, ${JSON.stringify(cacheDir)});
    `,
      ],
      { env: { MAVEN_OPTS: `-Dmaven.repo.local=${path.join(scratch, 'm2')}` }, timeoutMs: 220_000 },
    );

    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n');
    const progress = lines.filter((line) => line.startsWith(`Keycloak ${version}: `) && line.includes('%'));
    // A line as each fifth of the download arrives (Maven reports in steps of a few hundred kB).
    const percents = progress.map((line) => Number(/\((\d+)%\)/.exec(line)![1]));
    expect(percents, result.stderr).toHaveLength(5);
    for (const [index, percent] of percents.entries()) expect(percent - 20 * (index + 1)).toBeGreaterThanOrEqual(0);
    expect(percents.at(-1)).toBe(100);
    for (const line of progress)
      expect(line).toMatch(new RegExp(`^Keycloak ${version}: \\d+\\.\\d/\\d+\\.\\d MB \\(\\d+%\\) at \\d+\\.\\d MB/s$`));
    expect(lines.at(-1)).toMatch(new RegExp(`^Keycloak ${version}: \\d+\\.\\d MB in \\d+\\.\\d s \\(\\d+\\.\\d MB/s\\)$`));
    expect(existsSync(path.join(cacheDir, `keycloak-${version}`, 'bin', 'kc.sh'))).toBe(true);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

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
