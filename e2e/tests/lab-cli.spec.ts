import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureKeycloakDistribution } from '../../lab/keycloak/keycloak-distribution.ts';
import { isPortOpen } from '../../lab/ports.ts';
import { repoRoot } from '../../lab/config.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';

/** Ports for the lab these tests start: the shared test lab's plus 100. */
const ownPorts = {
  KEYCLOAK_PORT: String(lab.keycloak.port + 100),
  KEYCLOAK_MANAGEMENT_PORT: String(lab.keycloak.managementPort + 100),
  WHOAMI_PORT: String(lab.server.port + 100),
  INSPECTOR_PORT: String(lab.inspector.port + 100),
  INSPECTOR_SANDBOX_PORT: String(lab.inspector.sandboxPort + 100),
  INSPECTOR_APP_ORIGIN_PORT: String(lab.inspector.appOriginPort + 100),
};

// The tests that start a lab share its ports, so they run one after another.
test.describe.configure({ mode: 'default' });

test.describe('lab command', () => {
  test('a port already taken is a clear error, not a hang', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(ownPorts.KEYCLOAK_PORT), '127.0.0.1', resolve));
    try {
      const result = await runLab(['up'], ownPorts, 15_000);

      expect(result.exitCode).toBe(1);
      expect(isOneLineError(result.stderr)).toBe(true);
      expect(result.stderr).toContain(`Port ${ownPorts.KEYCLOAK_PORT} (Keycloak HTTP) is already in use`);
    } finally {
      squatter.close();
    }
  });

  test('an unknown command or a bad setting is one line and a non-zero exit', async () => {
    const unknown = await runLab(['bogus']);
    const badPort = await runLab(['provision'], { KEYCLOAK_PORT: 'eighty' });

    expect(unknown.exitCode).toBe(1);
    expect(isOneLineError(unknown.stderr)).toBe(true);
    expect(unknown.stderr).toContain('Unknown command "bogus"');
    expect(badPort.exitCode).toBe(1);
    expect(isOneLineError(badPort.stderr)).toBe(true);
    expect(badPort.stderr).toContain('KEYCLOAK_PORT must be a port number');
  });

  test('`lab down` with nothing running says so and succeeds', async () => {
    const result = await runLab(['down']);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('No lab is running.');
  });

  test('`lab up` starts a working lab and Ctrl-C stops it, leaving no Java process behind', async ({}, testInfo) => {
    test.setTimeout(300_000);
    // A copy of the distribution: Keycloak rebuilds itself in its own folder at start-dev, and the
    // shared test Keycloak runs from the cached one.
    const keycloakHome = testInfo.outputPath('keycloak');
    cpSync(await ensureKeycloakDistribution(lab.keycloak.version), keycloakHome, { recursive: true });
    const labProcess = spawn(process.execPath, [path.join(repoRoot, 'lab', 'cli.ts'), 'up'], {
      cwd: testInfo.outputPath(),
      env: { ...process.env, ...ownPorts, KEYCLOAK_HOME: keycloakHome, KEYCLOAK_URL: '', WHOAMI_URL: '', INSPECTOR_URL: '', INSPECTOR_API_TOKEN: '', LAB_STATE_DIR: testInfo.outputPath('state') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    labProcess.stdout.on('data', (chunk) => { output += chunk; });
    labProcess.stderr.on('data', (chunk) => { output += chunk; });
    const exited = new Promise<number | null>((resolve) => labProcess.on('exit', resolve));

    try {
      await expect.poll(() => output, { timeout: 240_000, message: 'lab up did not print "The lab is ready."' }).toContain('The lab is ready.');
      expect(output).toMatch(/✓ Keycloak \S+ ready at http:\/\/localhost:\d+ on Java \d+/);
      expect(output).toMatch(/✓ realm mcp-realm provisioned/);
      expect(output).toContain('testuser / testpassword');
      const health = await fetch(`http://localhost:${ownPorts.WHOAMI_PORT}/healthz`);
      expect(health.status).toBe(200);
      // One URL opens the Inspector ready to use: it carries the API token the Inspector checks.
      const inspectorUrl = output.match(/MCP Inspector\s+(http:\/\/localhost:\d+\/\?MCP_INSPECTOR_API_TOKEN=\w+)/)?.[1];
      expect(inspectorUrl, 'lab up prints the Inspector URL with its token').toBeDefined();
      expect(new URL(inspectorUrl!).port).toBe(ownPorts.INSPECTOR_PORT);
      expect((await fetch(`http://localhost:${ownPorts.INSPECTOR_PORT}/healthz`)).status).toBe(200);

      labProcess.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output).toContain('Lab stopped.');
      for (const port of Object.values(ownPorts)) expect(await isPortOpen(Number(port))).toBe(false);
      expect(processesMentioning(keycloakHome)).toEqual([]);
    } finally {
      labProcess.kill('SIGKILL');
      rmSync(keycloakHome, { recursive: true, force: true });
    }
  });

  test('Ctrl-C while Keycloak is still starting stops it too', async ({}, testInfo) => {
    const keycloakHome = testInfo.outputPath('keycloak');
    cpSync(await ensureKeycloakDistribution(lab.keycloak.version), keycloakHome, { recursive: true });
    const labProcess = spawn(process.execPath, [path.join(repoRoot, 'lab', 'cli.ts'), 'up'], {
      env: { ...process.env, ...ownPorts, KEYCLOAK_HOME: keycloakHome, KEYCLOAK_URL: '', WHOAMI_URL: '', LAB_STATE_DIR: testInfo.outputPath('state') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    labProcess.stdout.on('data', (chunk) => { output += chunk; });
    const exited = new Promise<number | null>((resolve) => labProcess.on('exit', resolve));
    try {
      // Keycloak is booting once its JVM shows up under the copied distribution.
      await expect.poll(() => processesMentioning(keycloakHome).length, { timeout: 30_000 }).toBeGreaterThan(1);

      labProcess.kill('SIGINT');

      expect(await exited).toBe(130);
      expect(output).toContain('Lab stopped before it was ready.');
      expect(processesMentioning(keycloakHome)).toEqual([]);
    } finally {
      labProcess.kill('SIGKILL');
      rmSync(keycloakHome, { recursive: true, force: true });
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
