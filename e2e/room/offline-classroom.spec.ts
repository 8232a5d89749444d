/**
 * A room without internet: `lab prefetch` gathers what the room needs into one folder; on a
 * machine with loopback only (a network namespace), a fresh copy of the lab installs from that
 * folder, `lab up` starts (Keycloak and the Python server's packages from the folder, an empty
 * cache, an empty Maven repository) and the tutorial's checkpoint 2 passes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { runCommand } from '../../core/process.ts';
import { prefetchedKeycloakZip, prefetchedNpmCache, prefetchedPythonWheels } from '../../lab/prefetch-layout.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { createOfflineRoom } from '../support/offline-room.ts';
import { runLab } from '../support/run-command.ts';

test('after `lab prefetch`, a machine with loopback only installs the lab, starts it and passes checkpoint 2', async ({}, testInfo) => {
  test.setTimeout(900_000);
  const folder = testInfo.outputPath('usb-stick');
  const version = lab.keycloak.version;

  // Where there is internet: the instructor fills the folder.
  // The room runs the lab natively: no compose images (`docker save` of them is 500 MB).
  const prefetched = await runLab(['prefetch', folder, '--no-images'], {}, 600_000);
  expect(prefetched.exitCode, prefetched.stdout + prefetched.stderr).toBe(0);
  expect(prefetched.stdout).toContain('- docker images: left out (--no-images)');
  expect(existsSync(prefetchedKeycloakZip(folder, version))).toBe(true);
  expect(readdirSync(prefetchedPythonWheels(folder)).filter((file) => file.endsWith('.whl')).length).toBeGreaterThan(10);
  expect(readFileSync(path.join(folder, 'README.txt'), 'utf8')).toContain(`npm ci --offline --cache ${prefetchedNpmCache(folder)}`);

  // A student's machine: the lab's files (no node_modules), an empty home, cache and Maven repository.
  const laptop = testInfo.outputPath('laptop');
  const checkout = path.join(laptop, 'mcp-auth-lab');
  mkdirSync(checkout, { recursive: true });
  const copied = await runCommand('bash', [
    '-c',
    `git -C "${repoRoot}" ls-files -z --cached --others --exclude-standard | grep -zv '^node_modules/' | tar -C "${repoRoot}" --null -T - -cf - | tar -C "${checkout}" -xf -`,
  ]);
  expect(copied.exitCode, copied.stderr).toBe(0);
  const env = {
    HOME: path.join(laptop, 'home'),
    XDG_CACHE_HOME: path.join(laptop, 'cache'),
    MAVEN_OPTS: `-Dmaven.repo.local=${path.join(laptop, 'm2')}`,
    LAB_PREFETCH_DIR: folder,
    KEYCLOAK_VERSION: version,
    WHOAMI_SDK: 'python',
    KEYCLOAK_READY_TIMEOUT_MS: '400000',
  };
  const room = await createOfflineRoom();
  const labInRoom = (args: string[], timeoutMs: number) =>
    room.run(process.execPath, [path.join(checkout, 'lab', 'cli.ts'), ...args], { cwd: checkout, env, timeoutMs });
  try {
    // No way out: loopback is the only link, and there is no route at all.
    expect(
      (await room.run('ip', ['-brief', 'link'])).stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(['lo']);
    expect(
      (await room.run('ip', ['route', 'show', 'table', 'all'])).stdout
        .split('\n')
        .filter((line) => line && !/^(local|broadcast|multicast) /.test(line) && !line.includes(' dev lo ')),
    ).toEqual([]);

    const installed = await room.run('npm', ['ci', '--offline', '--cache', prefetchedNpmCache(folder), '--no-audit', '--no-fund'], {
      cwd: checkout,
      env,
      timeoutMs: 300_000,
    });
    expect(installed.exitCode, installed.stderr).toBe(0);

    const up = await labInRoom(['up', '--detach', '--no-inspector'], 600_000);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}\n${readFileSync(path.join(checkout, '.lab', 'lab.log'), 'utf8')}`).toBe(0);
    const log = readFileSync(path.join(checkout, '.lab', 'lab.log'), 'utf8');
    expect(log).toContain(`Keycloak ${version}: taken from ${folder}`);
    expect(log).toMatch(/✓ Python 3\.\d+\.\d+ venv made/);

    const check = await labInRoom(['check'], 180_000);
    expect(check.stdout, check.stderr).toMatch(
      /^✓ checkpoint 2: testuser signed in at Keycloak; whoami returned their claims \(sub [0-9a-f-]{36}\) over SSE and Streamable HTTP$/m,
    );
    expect(check.exitCode).toBe(0);
  } finally {
    await labInRoom(['down'], 120_000);
    await room.remove();
  }
});
