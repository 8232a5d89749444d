/**
 * Following the room: students run `lab check --report` as their own accounts, and the
 * instructor's lab shows who has passed which checkpoint — in the terminal and on a page that
 * updates by itself. A report is signed with the student's own token; another student's is refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { walkthroughDir, withSettings } from '../../core/config.ts';
import { startProgressServer } from '../../lab/classroom/progress-server.ts';
import { brokenCopy, brokenServers, startServer } from '../support/broken-servers.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { connectAfterLogin } from '../support/mcp-login.ts';
import { runLab } from '../support/run-command.ts';
import { sharedRealmEnv, testPorts } from '../support/test-ports.ts';

test("students report their checks; the room's page and `classroom progress` show who passed; a report for someone else is refused", async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const env = { ...sharedRealmEnv, LAB_STATE_DIR: testInfo.outputPath('state') };
  // Names of this test's own: classroom.spec.ts provisions student01… in the same realm at the
  // same time, with new passwords.
  const roster = testInfo.outputPath('roster.csv');
  writeFileSync(
    roster,
    'username,email,first name,last name\nprogress-ann,progress-ann@example.com,Ann,Archer\nprogress-ben,progress-ben@example.com,Ben,Baker\nprogress-cat,progress-cat@example.com,Cat,Carter\n',
  );
  const provisioned = await runLab(['classroom', '--roster', roster], env);
  expect(provisioned.exitCode, provisioned.stderr).toBe(0);
  const students = JSON.parse(readFileSync(path.join(env.LAB_STATE_DIR, 'classroom', 'students.json'), 'utf8')) as Array<{
    username: string;
    password: string;
  }>;
  const [ann, ben, cat] = students as [(typeof students)[0], (typeof students)[0], (typeof students)[0]];

  const room = withSettings(lab, env);
  const progress = await startProgressServer(room);
  // Ben's server has a classic mistake: its tool ignores the auth info.
  const broken = brokenServers.find(({ diagnosis }) => diagnosis === 'tool-ignores-auth-info')!;
  const bensPort = testPorts.checkServers + 25;
  const bensServer = await startServer(
    brokenCopy(testInfo.outputPath('ben'), broken.edits),
    bensPort,
    testInfo.outputPath('ben-server.log'),
  );
  try {
    // Each student checks in their own browser, as their own account, at the same time.
    const [annChecked, benChecked] = await Promise.all([
      runLab(['check', lab.whoamiUrl, '--user', ann.username, '--password', ann.password, '--report'], env, 120_000),
      runLab(['check', `http://localhost:${bensPort}`, '--user', ben.username, '--password', ben.password, '--report'], env, 120_000),
    ]);
    expect(annChecked.exitCode, annChecked.stdout + annChecked.stderr).toBe(0);
    expect(annChecked.stdout).toContain(`Reported to ${room.classroom.progressUrl}.`);
    expect(benChecked.exitCode).toBe(1);
    expect(benChecked.stdout).toContain(`Reported to ${room.classroom.progressUrl}.`);

    const terminal = await runLab(['classroom', 'progress'], env);
    expect(terminal.exitCode, terminal.stderr).toBe(0);
    expect(terminal.stdout).toMatch(new RegExp(`^${ann.username} +✓ passed +✓ passed$`, 'm'));
    expect(terminal.stdout).toMatch(new RegExp(`^${ben.username} +— +✗ tool-ignores-auth-info$`, 'm'));
    expect(terminal.stdout).toMatch(new RegExp(`^${cat.username} +— +—$`, 'm'));
    expect(terminal.stdout).toContain('1 of 3 students have passed checkpoint 2.');

    // The page for the projector, in the real browser; it redraws itself when a report comes in.
    const page = await browser.newPage({ viewport: { width: 1000, height: 420 } });
    await page.goto(`${room.classroom.progressUrl}/progress`);
    const row = (username: string) => page.locator(`tr[data-student="${username}"]`);
    await expect(row(ann.username)).toContainText('✓ passed');
    await expect(row(ben.username)).toContainText('✗ tool-ignores-auth-info');
    await expect(row(cat.username).locator('td').nth(2)).toHaveText('—');
    await expect(page.getByText('1 of 3 students have passed checkpoint 2.')).toBeVisible();
    const catChecked = await runLab(['check', lab.whoamiUrl, '--user', cat.username, '--password', cat.password, '--report'], env, 120_000);
    expect(catChecked.exitCode).toBe(0);
    await expect(row(cat.username)).toContainText('✓ passed');
    await expect(page.getByText('2 of 3 students have passed checkpoint 2.')).toBeVisible();
    await page.screenshot({ path: path.join(walkthroughDir, 'classroom', 'progress.png') });

    // Ann's own token cannot report for Ben; no token or a garbage one cannot report at all.
    const annsToken = (
      await connectAfterLogin(await browser.newPage(), { transport: 'streamable-http', credentials: ann })
    ).provider.tokens()!.access_token;
    const report = (token: string | undefined, username: string) =>
      fetch(`${room.classroom.progressUrl}/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ username, checkpoint: 2, passed: true, results: [] }),
      });
    const forBen = await report(annsToken, ben.username);
    expect(forBen.status).toBe(403);
    expect(await forBen.json()).toEqual({
      error: 'forbidden',
      error_description: `This token is ${ann.username}'s: a student can report only their own results.`,
    });
    expect((await report(undefined, ann.username)).status).toBe(401);
    expect((await report('not-a-token', ann.username)).status).toBe(401);
    await expect(row(ben.username)).toContainText('✗ tool-ignores-auth-info');
  } finally {
    await bensServer.stop();
    await progress.stop();
  }
});
