/**
 * `LAB_PROVIDER=logto npm run lab` as a learner runs it, on ports of its own (the tier's Logto ports
 * plus 100): Logto from the cache's build, its PostgreSQL, provisioning, the whoami server and the
 * Inspector; the ready box with the tab's settings; every socket on loopback (Logto itself would
 * listen on every interface); `lab check` passing with the App ID the lab saved; Ctrl-C leaves
 * nothing running.
 */
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { isPortOpen } from '../../core/ports.ts';
import { startWatched } from '../../core/process.ts';
import { expect, test } from '@playwright/test';
import { describeSockets, isLoopbackAddress, listeningSocketsOf } from '../support/listening-sockets.ts';
import { logtoDbRoot, logtoLab } from '../support/logto-lab.ts';
import { runLab } from '../support/run-command.ts';
import { labAbove, portsOf, testPorts } from '../support/test-ports.ts';

test("`LAB_PROVIDER=logto lab up`: Logto provisioned, the tab's settings printed, everything on loopback, Ctrl-C stops it all", async ({}, testInfo) => {
  test.setTimeout(180_000);
  const own = labAbove(100, 'e2e-logto-lab-up');
  const logtoPorts = {
    LOGTO_PORT: testPorts.logto + 100,
    LOGTO_ADMIN_PORT: testPorts.logtoAdmin + 100,
    LOGTO_DB_PORT: testPorts.logtoDb + 100,
  };
  const env: Record<string, string> = {
    ...(logtoLab().settings as Record<string, string>),
    ...own,
    ...Object.fromEntries(Object.entries(logtoPorts).map(([name, port]) => [name, String(port)])),
    LOGTO_APP_ID: '',
    LAB_STATE_DIR: testInfo.outputPath('state'),
    LOGTO_DB_DIR: path.join(logtoDbRoot, 'lab-up', 'postgres'),
  };
  const issuer = `http://localhost:${logtoPorts.LOGTO_PORT}/oidc`;
  const labUp = startWatched(process.execPath, [path.join(repoRoot, 'lab', 'cli.ts'), 'up'], { cwd: repoRoot, env });
  try {
    await expect
      .poll(() => labUp.output(), { timeout: 120_000, message: 'lab up did not print "The lab is ready."' })
      .toContain('The lab is ready.');
    const output = labUp.output();
    const appId = /Inspector: Client ID\s+(\w+) {2}\(the App ID of the Single-page application "MCP Inspector"\)$/m.exec(output)?.[1];
    expect(appId, output).toBeTruthy();
    expect(output).toMatch(new RegExp(`Issuer\\s+${issuer}$`, 'm'));
    expect(output).toMatch(/Inspector: Scope\s+openid profile email$/m);
    expect(output).toMatch(new RegExp(`Logto Console\\s+http://localhost:${logtoPorts.LOGTO_ADMIN_PORT}/console `));
    expect(output).toContain('which Logto refuses (invalid_target)');
    expect(output).toMatch(/✓ Logto provisioned \(application MCP Inspector created, user testuser created/);

    const sockets = listeningSocketsOf(labUp.pid);
    const ports = sockets.map(({ port }) => port);
    expect(ports).toEqual(expect.arrayContaining(Object.values(logtoPorts)));
    expect(
      sockets.filter(({ address }) => !isLoopbackAddress(address)),
      describeSockets(sockets),
    ).toEqual([]);

    // `lab check` finds the App ID the lab saved, signs in on Logto's page, and passes.
    const { LOGTO_APP_ID: _, ...withoutAppId } = env;
    const check = await runLab(['check'], withoutAppId, 60_000);
    expect(check.exitCode, `${check.stdout}\n${check.stderr}`).toBe(0);
    expect(check.stdout).toContain('signed in at Logto');

    labUp.signal('SIGINT');
    expect(await labUp.exited).toBe(0);
    for (const port of [...Object.values(logtoPorts), ...portsOf(own)]) expect(await isPortOpen(port), `port ${port}`).toBe(false);
  } finally {
    labUp.kill();
  }
});
