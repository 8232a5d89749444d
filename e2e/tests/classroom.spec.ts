import { parse } from 'csv-parse/sync';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { expect, test } from '../support/fixtures.ts';
import { authorizationUrl } from '../support/authorization-url.ts';
import { lab } from '../support/lab.ts';
import { callWhoami, connectAfterLogin } from '../support/mcp-login.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';
import { signInAndCaptureCode } from '../support/provider-login.ts';
import { sharedRealmEnv } from '../support/test-ports.ts';

/** An authorization request for the lab's client in `realm`. */
function realmAuthorizationUrl(realm: string): URL {
  return authorizationUrl(`${lab.keycloak.url}/realms/${realm}`, lab.client.id, lab.client.testRedirectUri);
}

// The classroom commands work on the lab's realm, as an instructor's do; tests that change the
// realm's users run one after another.
test.describe.configure({ mode: 'default' });

test.describe('workshop classroom', () => {
  test('10 students each log in in their own browser and see only their own claims', async ({ browser, admin }, testInfo) => {
    test.setTimeout(180_000);
    const stateDir = testInfo.outputPath('state');
    const provisioned = await runLab(['classroom', '--students', '10'], { ...sharedRealmEnv, LAB_STATE_DIR: stateDir });
    expect(provisioned.exitCode, provisioned.stderr).toBe(0);
    expect(provisioned.stdout).toContain('10 student accounts ready');
    expect(provisioned.stdout).toContain('Passwords are in the handout only');

    const handout = readFileSync(`${stateDir}/classroom/handout.csv`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(handout).toHaveLength(10);
    for (const [, password] of handout) expect(provisioned.stdout).not.toContain(password!);
    const html = readFileSync(`${stateDir}/classroom/handout.html`, 'utf8');
    expect(html.match(/class="card"/g)).toHaveLength(10);
    expect(html).toContain(lab.client.id);
    // The passwords are readable by the instructor's user only: its folder 0700, each file 0600.
    const modes = Object.fromEntries(
      ['', '/students.json', '/handout.html', '/handout.csv'].map((file) => {
        const stat = statSync(`${stateDir}/classroom${file}`);
        return [file || 'classroom/', { mode: (stat.mode & 0o777).toString(8), owner: stat.uid }];
      }),
    );
    const mine = process.getuid!();
    expect(modes).toEqual({
      'classroom/': { mode: '700', owner: mine },
      '/students.json': { mode: '600', owner: mine },
      '/handout.html': { mode: '600', owner: mine },
      '/handout.csv': { mode: '600', owner: mine },
    });

    const sessions = await Promise.all(
      handout.map(async ([username, password]) => {
        const context = await browser.newContext();
        try {
          const { client } = await connectAfterLogin(await context.newPage(), {
            transport: 'streamable-http',
            credentials: { username: username!, password: password! },
          });
          const claims = await callWhoami(client);
          await client.close();
          return { username: username!, claims };
        } finally {
          await context.close();
        }
      }),
    );

    for (const { username, claims } of sessions) {
      const [account] = await admin.users.find({ realm: lab.realm.name, username, exact: true });
      expect(claims.preferred_username).toBe(username);
      expect(claims.sub).toBe(account!.id);
    }
    expect(new Set(sessions.map(({ claims }) => claims.sub)).size).toBe(10);
  });

  test('provisioning the same roster again keeps the printed passwords', async ({}, testInfo) => {
    const env = { ...sharedRealmEnv, LAB_STATE_DIR: testInfo.outputPath('state') };
    const first = await runLab(['classroom', '--students', '3', '--show-passwords'], env);
    const second = await runLab(['classroom', '--students', '3', '--show-passwords'], env);

    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain('3 student accounts ready (3 unchanged)');
    const passwords = (output: string) => output.split('\n').filter((line) => /^ {2}student\d+ {2}/.test(line));
    expect(passwords(second.stdout)).toHaveLength(3);
    expect(passwords(second.stdout)).toEqual(passwords(first.stdout));
  });

  test('`lab reset` signs everyone out and restores a changed password and a disabled account', async ({ page, admin }, testInfo) => {
    // A realm of its own: signing everyone out of the shared realm would cut other tests short.
    const realm = `reset-${Date.now()}`;
    const env = { LAB_STATE_DIR: testInfo.outputPath('state'), KEYCLOAK_REALM: realm };
    expect((await runLab(['classroom', '--students', '2'], env)).exitCode).toBe(0);
    const [student] = JSON.parse(readFileSync(`${env.LAB_STATE_DIR}/classroom/students.json`, 'utf8')) as Array<{
      username: string;
      password: string;
    }>;
    await signInAndCaptureCode(page, realmAuthorizationUrl(realm), lab.client.testRedirectUri, student!);
    const [account] = await admin.users.find({ realm, username: student!.username, exact: true });
    expect(await admin.users.listSessions({ realm, id: account!.id! })).toHaveLength(1);
    await admin.users.update({ realm, id: account!.id! }, { ...account, enabled: false });
    await admin.users.resetPassword({
      realm,
      id: account!.id!,
      credential: { type: 'password', value: 'changed-by-a-student', temporary: false },
    });

    const reset = await runLab(['reset'], env);

    expect(reset.exitCode, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('2 student accounts restored (1 updated, 1 unchanged)');
    expect(reset.stdout).toContain(`every session in ${realm} signed out`);
    await admin.auth({
      grantType: 'password',
      clientId: 'admin-cli',
      username: lab.keycloak.adminUsername,
      password: lab.keycloak.adminPassword,
    });
    expect(await admin.users.listSessions({ realm, id: account!.id! })).toHaveLength(0);
    expect((await admin.users.findOne({ realm, id: account!.id! }))!.enabled).toBe(true);
    // The handout's password works again on the login page.
    await page.context().clearCookies();
    expect(await signInAndCaptureCode(page, realmAuthorizationUrl(realm), lab.client.testRedirectUri, student!)).toBeTruthy();
    await admin.realms.del({ realm });
  });

  test('a roster as spreadsheets write it: a BOM, CRLF lines, quoted fields, a comma in a name', async ({ admin }, testInfo) => {
    const rosterPath = testInfo.outputPath('roster.csv');
    writeFileSync(
      rosterPath,
      '\uFEFFusername,email,first name,last name\r\nroster-ann,roster-ann@example.com,"Ann, Jr.",O\'Brien\r\n\r\nroster-bob,roster-bob@example.com\r\n',
    );
    const env = { ...sharedRealmEnv, LAB_STATE_DIR: testInfo.outputPath('state') };

    const result = await runLab(['classroom', '--roster', rosterPath], env);

    expect(result.exitCode, result.stderr).toBe(0);
    const [ann] = await admin.users.find({ realm: lab.realm.name, username: 'roster-ann', exact: true });
    const [bob] = await admin.users.find({ realm: lab.realm.name, username: 'roster-bob', exact: true });
    expect(ann).toMatchObject({ firstName: 'Ann, Jr.', lastName: "O'Brien", email: 'roster-ann@example.com' });
    expect(bob).toMatchObject({ firstName: 'roster-bob', lastName: 'Student' });
    // The handout's CSV reads back to the same names, quoting and all.
    const handout = parse(readFileSync(`${env.LAB_STATE_DIR}/classroom/handout.csv`, 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(handout.map((row) => [row.username, row['first name'], row['last name']])).toEqual([
      ['roster-ann', 'Ann, Jr.', "O'Brien"],
      ['roster-bob', 'roster-bob', 'Student'],
    ]);
    for (const user of [ann, bob]) await admin.users.del({ realm: lab.realm.name, id: user!.id! });
  });

  test('a bad roster is refused with its line number and nothing is created', async ({ admin }, testInfo) => {
    const cases: Array<[string, string, string]> = [
      [
        'duplicate username',
        'username,email\nann,ann@example.com\nbob,bob@example.com\nAnn,ann2@example.com\n',
        'line 4: duplicate username "ann" (first on line 2)',
      ],
      ['invalid email', 'carl,carl@example.com\ndora,dora-at-example\n', 'line 2: invalid email "dora-at-example"'],
      ['empty file', '\n\n', 'has no students'],
      [
        'a quote in a name',
        'username,email,first name,last name\r\ncarl,carl@example.com,"Carl ""The Hat""",Smith\r\n',
        'line 2: first name "Carl "The Hat"" has a character Keycloak does not accept in names (")',
      ],
      ['an unclosed quote', 'dora,dora@example.com,"Dora\n', 'line 1: a quoted field is not closed'],
    ];
    for (const [name, csv, message] of cases) {
      const rosterPath = testInfo.outputPath(`${name.replaceAll(' ', '-')}.csv`);
      writeFileSync(rosterPath, csv);

      const result = await runLab(['classroom', '--roster', rosterPath], { LAB_STATE_DIR: testInfo.outputPath('state') });

      expect(result.exitCode, name).toBe(1);
      expect(isOneLineError(result.stderr), result.stderr).toBe(true);
      expect(result.stderr).toContain(message);
    }
    for (const username of ['ann', 'bob', 'carl', 'dora']) {
      expect(await admin.users.find({ realm: lab.realm.name, username, exact: true })).toEqual([]);
    }
  });

  test('`lab teardown` removes the realm, and a second teardown is harmless', async ({ admin }) => {
    const realm = `teardown-${Date.now()}`;
    const env = { KEYCLOAK_REALM: realm };
    expect((await runLab(['provision'], env)).exitCode).toBe(0);

    const first = await runLab(['teardown'], env);
    const second = await runLab(['teardown'], env);

    expect(first.stdout).toContain(`Realm ${realm} removed.`);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`Realm ${realm} does not exist`);
    expect(await admin.realms.findOne({ realm })).toBeFalsy();
  });
});
