/**
 * The Keycloak distribution's download: its progress (bytes, percent, rate) on a real download
 * into an empty Maven repository, and a zip left by an interrupted or damaged download found and
 * replaced, never unpacked (there Maven's own repository already holds the version: Maven copies it).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { repoRoot } from '../../core/config.ts';
import { runCommand } from '../../core/process.ts';
import { DownloadProgress, parseProgressLine } from '../../lab/keycloak/download-progress.ts';
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
    const result = await runCommand(process.execPath, ['--input-type=module', '-e', `
      const { ensureKeycloakDistribution } = await import(${JSON.stringify(module)});
      await ensureKeycloakDistribution(${JSON.stringify(version)}, ${JSON.stringify(cacheDir)});
    `], { env: { MAVEN_OPTS: `-Dmaven.repo.local=${path.join(scratch, 'm2')}` }, timeoutMs: 220_000 });

    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n');
    const progress = lines.filter((line) => line.startsWith(`Keycloak ${version}: `) && line.includes('%'));
    // A line as each fifth of the download arrives (Maven reports in steps of a few hundred kB).
    const percents = progress.map((line) => Number(/\((\d+)%\)/.exec(line)![1]));
    expect(percents, result.stderr).toHaveLength(5);
    percents.forEach((percent, index) => expect(percent - 20 * (index + 1)).toBeGreaterThanOrEqual(0));
    expect(percents.at(-1)).toBe(100);
    for (const line of progress) expect(line).toMatch(new RegExp(`^Keycloak ${version}: \\d+\\.\\d/\\d+\\.\\d MB \\(\\d+%\\) at \\d+\\.\\d MB/s$`));
    expect(lines.at(-1)).toMatch(new RegExp(`^Keycloak ${version}: \\d+\\.\\d MB in \\d+\\.\\d s \\(\\d+\\.\\d MB/s\\)$`));
    expect(existsSync(path.join(cacheDir, `keycloak-${version}`, 'bin', 'kc.sh'))).toBe(true);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('progress on a terminal is one line kept up to date, in a log a line per fifth; Maven 3.9\'s lines name the file', () => {
  let written = '';
  const terminal = Object.assign(new Writable({ write(chunk, _encoding, done) { written += String(chunk); done(); } }), { isTTY: true });
  let clock = 0;
  const progress = new DownloadProgress('Keycloak 9.9.9', 'keycloak-quarkus-dist-9.9.9.zip', terminal, () => clock);

  progress.read('Downloading from a-mirror: file:///repo/org/keycloak/keycloak-quarkus-dist/9.9.9/keycloak-quarkus-dist-9.9.9.zip\n');
  for (const done of [50, 100, 150]) {
    clock += 1000;
    progress.read(`Progress (1): keycloak-quarkus-dist-9.9.9.zip (${done}/150 MB)\r`);
  }
  progress.finish(150e6);

  expect(written).toBe([
    '\rKeycloak 9.9.9: 50.0/150.0 MB (33%) at 50.0 MB/s\x1b[K',
    '\rKeycloak 9.9.9: 100.0/150.0 MB (66%) at 50.0 MB/s\x1b[K',
    '\rKeycloak 9.9.9: 150.0/150.0 MB (100%) at 50.0 MB/s\x1b[K',
    '\nKeycloak 9.9.9: 150.0 MB in 3.0 s (50.0 MB/s)\n',
  ].join(''));
  // In a log: a line per fifth, and 100% even when Maven's last report stops short of the whole.
  let logged = '';
  const log = new Writable({ write(chunk, _encoding, done) { logged += String(chunk); done(); } });
  clock = 0;
  const inLog = new DownloadProgress('Keycloak 9.9.9', 'keycloak-quarkus-dist-9.9.9.zip', log, () => clock);
  inLog.read('Downloading from a-mirror: file:///repo/keycloak-quarkus-dist-9.9.9.zip\n');
  for (const done of [10, 36, 71, 107, 142, 176]) {
    clock += 500;
    inLog.read(`Progress (1): ${done}/177 MB\r`);
  }
  inLog.finish(176.7e6);
  expect(logged.trim().split('\n').map((line) => /\((\d+)%\)/.exec(line)?.[1] ?? line)).toEqual(['20', '40', '60', '80', '100', 'Keycloak 9.9.9: 176.7 MB in 3.0 s (58.9 MB/s)']);

  // Several transfers side by side: the largest is the one that counts.
  expect(parseProgressLine('Progress (3): 89 kB | 4.1/35 kB | 12/155 MB')).toEqual({ done: 12e6, total: 155e6 });
  expect(parseProgressLine('[INFO] Copying keycloak-quarkus-dist-9.9.9.zip')).toBeUndefined();
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
