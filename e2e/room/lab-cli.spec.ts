import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { featureSince, isKeycloakAtLeast } from '../../core/keycloak-versions.ts';
import { isPortOpen } from '../../core/ports.ts';
import { startWatched } from '../../core/process.ts';
import { ensureKeycloakInstance } from '../../lab/keycloak/keycloak-distribution.ts';
import { describeSockets, isLoopbackAddress, listeningSocketsOf } from '../support/listening-sockets.ts';
import { expect, test } from '../support/fixtures.ts';
import { InspectorPage } from '../support/inspector-page.ts';
import { localhostOnlyHostsFile } from '../support/keycloak-hosts.ts';
import { lab } from '../support/lab.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';
import { labAbove, portsOf } from '../support/test-ports.ts';
import { testLabConfig } from '../test-target.ts';

/** The lab these tests start: the shared test lab's ports plus 100, and a Keycloak copy of its own. */
const ownLab = {
  ...labAbove(100, 'e2e-lab-cli'),
  // The registration policies resolve host names: Keycloak resolves only localhost here.
  JAVA_OPTS_APPEND: `-Djdk.net.hosts.file=${localhostOnlyHostsFile(lab.cacheDir)}`,
};
const ownPorts = portsOf(ownLab);
const base = testLabConfig();

/**
 * The Keycloak copy this lab runs; its JVM's command line names it. A copy is built for one feature
 * set (as `lab up` keys its own copies): the test of today's profile, which may turn `cimd` on,
 * has a copy of its own.
 */
const keycloakHome = (instance = ownLab.KEYCLOAK_INSTANCE) => ensureKeycloakInstance(lab.keycloak.version, instance, lab.cacheDir);
const profileInstance = `${ownLab.KEYCLOAK_INSTANCE}-profile`;

/** `node lab/cli.ts up …` as a user starts it in a terminal, its output watched. */
function startLabUp(args: string[], env: Record<string, string>) {
  return startWatched(process.execPath, [path.join(repoRoot, 'lab', 'cli.ts'), 'up', ...args], {
    cwd: repoRoot,
    env: { ...lab.settings, ...ownLab, ...env },
  });
}

// The tests that start a lab share its ports, so they run one after another.
test.describe.configure({ mode: 'default' });

// Each run starts from an empty database: a realm left by another run (another checkout, other
// Keycloak features) is not what a learner's first `lab up` meets.
test.beforeAll(async () => {
  for (const instance of [ownLab.KEYCLOAK_INSTANCE, profileInstance])
    rmSync(path.join(await keycloakHome(instance), 'data'), { recursive: true, force: true });
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

  test('`lab up` starts a working lab and Ctrl-C stops it, leaving no Java process behind', async ({}, testInfo) => {
    test.setTimeout(300_000);
    const home = await keycloakHome();
    const labUp = startLabUp([], { LAB_STATE_DIR: testInfo.outputPath('state') });
    try {
      await expect
        .poll(() => labUp.output(), { timeout: 240_000, message: 'lab up did not print "The lab is ready."' })
        .toContain('The lab is ready.');
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
      expect(
        sockets.filter(({ address }) => !isLoopbackAddress(address)),
        describeSockets(sockets),
      ).toEqual([]);
      expect(sockets.map(({ port }) => port)).toEqual(expect.arrayContaining(ownPorts));
      // The tutorial's lab starts Keycloak without experimental features: `lab doctor` names the
      // one the cimd profile would need, and its fix.
      const doctored = await runLab(['doctor'], {
        ...ownLab,
        LAB_STATE_DIR: testInfo.outputPath('state'),
        LAB_CLIENT_REGISTRATION: 'cimd',
      });
      expect(doctored.exitCode).toBe(1);
      expect(doctored.stdout).toContain(
        isKeycloakAtLeast(lab.keycloak.version, featureSince.cimd)
          ? `✗ feature cimd: Keycloak ${lab.keycloak.version} runs without it: the Inspector's metadata document URL is "Client not found." — fix: restart Keycloak with --features=cimd`
          : `✗ feature cimd: Keycloak ${lab.keycloak.version} does not have it (26.6+)`,
      );

      labUp.signal('SIGINT');
      expect(await labUp.exited).toBe(0);
      expect(labUp.output()).toContain('Lab stopped.');
      for (const port of ownPorts) expect(await isPortOpen(port)).toBe(false);
      expect(processesMentioning(home)).toEqual([]);
    } finally {
      labUp.kill();
    }
  });

  test("`up --detach` with the Python server returns once the lab is ready, under LAB_PUBLIC_HOST's name; `down` stops it", async ({}, testInfo) => {
    test.setTimeout(300_000);
    const home = await keycloakHome();
    // 127.0.0.2 is loopback too: the host name a room would use, without leaving this machine.
    // A classroom, so nginx guards Keycloak; the admin password is the instructor's own here (this
    // Keycloak copy's database has the tutorial's admin), see classroom-network.spec.ts for the random one.
    // The Python server here (the foreground test runs the Node one): it must answer to that name too.
    const env = {
      ...ownLab,
      WHOAMI_SDK: 'python',
      LAB_PUBLIC_HOST: '127.0.0.2',
      KEYCLOAK_ADMIN_PASSWORD: 'admin',
      LAB_STATE_DIR: testInfo.outputPath('state'),
    };
    try {
      const up = await runLab(['up', '--detach', '--no-inspector'], env, 240_000);

      expect(up.exitCode, up.stderr).toBe(0);
      expect(up.stdout).toContain('The lab is ready.');
      expect(up.stdout).toMatch(/Running in the background \(pid \d+/);
      const labLog = readFileSync(path.join(env.LAB_STATE_DIR, 'lab.log'), 'utf8');
      // The URL browsers and tokens use is the public host's, not localhost.
      expect(labLog).toContain(`✓ Keycloak ${lab.keycloak.version} ready at http://127.0.0.2:${ownLab.KEYCLOAK_PORT} on Java`);
      expect(up.stdout).toMatch(new RegExp(`Issuer\\s+http://127\\.0\\.0\\.2:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm`));
      const metadata = (await (
        await fetch(`http://127.0.0.2:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm/.well-known/openid-configuration`)
      ).json()) as { issuer: string };
      expect(metadata.issuer).toBe(`http://127.0.0.2:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm`);
      expect(up.stdout).toMatch(/whoami server code\s+Python SDK: server\/python\/whoami\.py/);
      const health = await fetch(`http://127.0.0.2:${ownLab.WHOAMI_PORT}/healthz`);
      expect(await health.json()).toEqual({
        status: 'ok',
        sdk: 'python',
        mode: 'tutorial',
        issuer: `http://127.0.0.2:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm`,
      });
      // Students' side on the room's address (nginx in front of Keycloak, the whoami server); Keycloak itself on 127.0.0.1.
      const { pid } = JSON.parse(readFileSync(path.join(env.LAB_STATE_DIR, 'state.json'), 'utf8')) as { pid: number };
      const sockets = listeningSocketsOf(pid);
      console.log(`[lab-cli] \`lab up\` (LAB_PUBLIC_HOST=127.0.0.2) listens on:\n${describeSockets(sockets)}`);
      const listener = (port: string) =>
        sockets
          .filter((socket) => socket.port === Number(port))
          .map(({ address, command }) => `${address} ${command}`)
          .sort();
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
      for (const port of [ownLab.KEYCLOAK_PORT, ownLab.WHOAMI_PORT, ownLab.LAB_PROGRESS_PORT])
        expect(await isPortOpen(Number(port), '127.0.0.2')).toBe(false);
      expect(processesMentioning(home)).toEqual([]);
      expect(existsSync(path.join(env.LAB_STATE_DIR, 'state.json'))).toBe(false);
    } finally {
      await runLab(['down'], env, 90_000);
    }
  });

  test("`lab up` with a registration profile of today's Keycloak: the Inspector it starts connects with no Client ID typed", async ({
    page,
  }, testInfo) => {
    test.setTimeout(300_000);
    // The newest profile this Keycloak can do: a metadata document on 26.6+, dynamic registration before.
    const profile = isKeycloakAtLeast(lab.keycloak.version, featureSince.cimd) ? 'cimd' : 'dynamic';
    const labUp = startLabUp([], {
      LAB_STATE_DIR: testInfo.outputPath('state'),
      LAB_CLIENT_REGISTRATION: profile,
      KEYCLOAK_INSTANCE: profileInstance,
    });
    try {
      await expect
        .poll(() => labUp.output(), { timeout: 240_000, message: 'lab up did not print "The lab is ready."' })
        .toContain('The lab is ready.');
      const output = labUp.output();
      expect(output).toMatch(/Inspector: Client ID +none: /);
      if (profile === 'cimd') {
        // Keycloak started with the feature, trusting the lab's certificate; the document is served.
        const documentUrl = `https://localhost:${ownLab.CIMD_PORT}/clients/mcp-inspector.json`;
        expect(output).toContain(`✓ client ID metadata document at ${documentUrl}`);
        const metadata = (await (
          await fetch(`http://localhost:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm/.well-known/openid-configuration`)
        ).json()) as Record<string, unknown>;
        expect(metadata.client_id_metadata_document_supported).toBe(true);
      }
      const inspectorUrl = output.match(/MCP Inspector\s+(http:\/\/localhost:\d+\/\?MCP_INSPECTOR_API_TOKEN=\w+)/)![1]!;
      const inspectorPage = new InspectorPage(page, {
        checkpoint: `lab up, ${profile}`,
        issuer: `http://localhost:${ownLab.KEYCLOAK_PORT}/realms/mcp-realm`,
      });

      // The Inspector lab up started has the server entered (and, for cimd, the document set): switch it on.
      await inspectorPage.open(inspectorUrl);
      await inspectorPage.connect('whoami-http');
      await inspectorPage.signIn(lab.user);
      await inspectorPage.grantConsent(profile === 'cimd' ? 'MCP Inspector (MCP Auth Lab)' : 'MCP Inspector');
      await inspectorPage.expectBackAuthorized('whoami-http');
      const result = await inspectorPage.runWhoami();

      // Tutorial mode: the claims from Keycloak's userinfo.
      await expect(result).toContainText(`"preferred_username": "${lab.user.username}"`);
      await inspectorPage.disconnect();
      labUp.signal('SIGINT');
      expect(await labUp.exited).toBe(0);
    } finally {
      labUp.kill();
    }
  });

  for (const { kind, name, scope, issuerPort } of [
    { kind: 'oidc', name: 'OIDC provider', scope: 'openid profile email', issuerPort: base.keycloak.port + 103 },
    { kind: 'oauth', name: 'OAuth 2.0 server', scope: 'profile', issuerPort: base.keycloak.port + 104 },
  ] as const) {
    test(`\`LAB_PROVIDER=${kind} lab up --detach\`: the tab's authorization server instead of Keycloak, the server against it, the Inspector's settings for it`, async ({}, testInfo) => {
      const issuer = `http://localhost:${issuerPort}`;
      const env = {
        ...ownLab,
        LAB_PROVIDER: kind,
        [kind === 'oidc' ? 'OIDC_PROVIDER_PORT' : 'OAUTH_PROVIDER_PORT']: String(issuerPort),
        LAB_STATE_DIR: testInfo.outputPath('state'),
      };
      try {
        const up = await runLab(['up', '--detach', '--no-inspector'], env, 60_000);

        expect(up.exitCode, up.stderr).toBe(0);
        expect(up.stdout).toMatch(new RegExp(`${name}\\s+${issuer} `));
        expect(up.stdout).toMatch(new RegExp(`Issuer\\s+${issuer}$`, 'm'));
        expect(up.stdout).toMatch(/Inspector: Client ID\s+mcp-inspector$/m);
        expect(up.stdout).toMatch(new RegExp(`Inspector: Scope\\s+${scope}$`, 'm'));
        expect(up.stdout).not.toContain('Keycloak');
        const labLog = readFileSync(path.join(env.LAB_STATE_DIR, 'lab.log'), 'utf8');
        expect(labLog).toContain(`✓ the ${name} ready at ${issuer} (`);
        expect(await isPortOpen(Number(ownLab.KEYCLOAK_PORT))).toBe(false);
        // The whoami server follows the tab: its metadata is the tab's authorization server's.
        const metadata = (await (await fetch(`http://localhost:${ownLab.WHOAMI_PORT}/.well-known/oauth-authorization-server`)).json()) as {
          issuer: string;
          userinfo_endpoint?: string;
        };
        expect(metadata.issuer).toBe(issuer);
        expect(metadata.userinfo_endpoint !== undefined).toBe(kind === 'oidc');
        // `lab check` signs in at the tab's server (its redirect URI is the pre-registered client's) and passes.
        const check = await runLab(['check'], env, 60_000);
        expect(check.exitCode, `${check.stdout}\n${check.stderr}`).toBe(0);
        expect(check.stdout).toContain(`signed in at the ${name}`);

        const down = await runLab(['down'], env, 30_000);

        expect(down.exitCode, down.stderr).toBe(0);
        expect(await isPortOpen(issuerPort)).toBe(false);
        expect(await isPortOpen(Number(ownLab.WHOAMI_PORT))).toBe(false);
      } finally {
        await runLab(['down'], env, 30_000);
      }
    });
  }

  test('Ctrl-C while Keycloak is still starting stops it too', async ({}, testInfo) => {
    const home = await keycloakHome();
    const labUp = startLabUp([], { LAB_STATE_DIR: testInfo.outputPath('state') });
    try {
      // Keycloak is booting once its JVM shows up under the instance's folder (kc.sh execs it).
      await expect
        .poll(() => processesMentioning(home).filter(isJava).length, {
          timeout: 30_000,
          message: `no Keycloak JVM under ${home}; lab up said: ${labUp.output()}`,
        })
        .toBeGreaterThan(0);

      labUp.signal('SIGINT');

      expect(await labUp.exited).toBe(130);
      expect(labUp.output()).toContain('Lab stopped before it was ready.');
      expect(processesMentioning(home)).toEqual([]);
    } finally {
      labUp.kill();
      // Keycloak runs in a process group of its own: a failed run must not leave it to the next.
      for (const pid of processesMentioning(home)) process.kill(pid, 'SIGKILL');
    }
  });
});

function isJava(pid: number): boolean {
  try {
    return path.basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '') === 'java';
  } catch {
    return false;
  }
}

/** PIDs whose command line contains `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });
}
