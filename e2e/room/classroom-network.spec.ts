/**
 * A classroom seen from a student's laptop. The laptop is a network namespace of its own with a
 * veth link to this machine (support/student-laptop.ts); the instructor's lab is a real
 * `lab up --detach` with LAB_PUBLIC_HOST set to the host's end of that link. From inside the
 * namespace the tests do what a student (or a curious one) would: `lab check` their login and
 * whoami, reporting to the room's progress page, and try
 * the admin console, the admin API, the master realm, health, metrics, the management port, the
 * Inspector, DNS rebinding and password guessing. See docs/security.md.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { withSettings, type LabConfig } from '../../core/config.ts';
import { ensureKeycloakInstance } from '../../lab/keycloak/keycloak-distribution.ts';
import { connectAdminClient } from '../../provisioning/admin-client.ts';
import { expect, test } from '../support/fixtures.ts';
import { describeSockets, isLoopbackAddress, listeningSocketsOf } from '../support/listening-sockets.ts';
import { runLab } from '../support/run-command.ts';
import { labAbove } from '../support/test-ports.ts';
import { expectOnlyRealmPagesReachable, expectRebindingRefused, expectWrongPasswordsLock } from '../support/student-attacks.ts';
import { createStudentLaptop, labCheckOnLaptop, type StudentLaptop } from '../support/student-laptop.ts';
import { testLabConfig } from '../test-target.ts';

interface Student {
  username: string;
  password: string;
}

const base = testLabConfig();
/** The classroom lab: the test lab's ports plus 50 (lab-cli.spec.ts uses +100); the admin password is the classroom's random one. */
const roomSettings = { ...labAbove(50, 'e2e-classroom'), KEYCLOAK_ADMIN_PASSWORD: '' };

let laptop: StudentLaptop;
let room: LabConfig;
let env: Record<string, string>;
let students: Student[];
/** A student's settings on their laptop: the room's address and ports, nothing of the instructor's. */
let studentEnv: Record<string, string>;

test.describe.configure({ mode: 'default' });

test.describe("a classroom, from a student laptop on the room's network", () => {
  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(420_000);
    laptop = await createStudentLaptop();
    console.log(`[classroom-network] student laptop ${laptop.namespace}: ${laptop.laptopAddress} ↔ host ${laptop.hostAddress}`);
    env = { ...roomSettings, LAB_PUBLIC_HOST: laptop.hostAddress, LAB_STATE_DIR: testInfo.outputPath('room') };
    room = withSettings(base, env);
    studentEnv = {
      LAB_PUBLIC_HOST: laptop.hostAddress,
      KEYCLOAK_PORT: env.KEYCLOAK_PORT!,
      WHOAMI_PORT: env.WHOAMI_PORT!,
      LAB_PROGRESS_PORT: env.LAB_PROGRESS_PORT!,
      KEYCLOAK_URL: '',
      WHOAMI_URL: '',
      INSPECTOR_URL: '',
      LAB_STATE_DIR: testInfo.outputPath('laptop'),
    };
    // An instructor's first classroom: a fresh database, whose admin gets the random password.
    rmSync(path.join(await ensureKeycloakInstance(room.keycloak.version, room.keycloak.instanceName, room.cacheDir), 'data'), {
      recursive: true,
      force: true,
    });

    const up = await runLab(['up', '--detach'], env, 360_000);
    expect(up.exitCode, up.stderr).toBe(0);
    const classroom = await runLab(['classroom', '--students', '3'], env);
    expect(classroom.exitCode, classroom.stderr).toBe(0);
    students = JSON.parse(readFileSync(path.join(env.LAB_STATE_DIR!, 'classroom', 'students.json'), 'utf8')) as Student[];
  });

  test.afterAll(async () => {
    if (env) await runLab(['down'], env, 90_000);
    await laptop?.remove();
  });

  test("Keycloak and its management port listen on loopback; nginx and the whoami server on the room's address; the Inspector on loopback", () => {
    const { pid } = JSON.parse(readFileSync(path.join(env.LAB_STATE_DIR!, 'state.json'), 'utf8')) as { pid: number };
    const sockets = listeningSocketsOf(pid);
    console.log(`[classroom-network] \`lab up\` (LAB_PUBLIC_HOST=${laptop.hostAddress}) listens on:\n${describeSockets(sockets)}`);

    const facingTheRoom = sockets
      .filter(({ address }) => !isLoopbackAddress(address))
      .map(({ address, port, command }) => `${address}:${port} ${command}`)
      .sort();
    expect(facingTheRoom).toEqual(
      [
        `${laptop.hostAddress}:${room.server.port} node server/whoami.ts`,
        `${laptop.hostAddress}:${room.keycloak.port} nginx`,
        `${laptop.hostAddress}:${room.classroom.progressPort} node lab/cli.ts`,
      ].sort(),
    );
    const onLoopback = sockets.filter(({ address }) => isLoopbackAddress(address)).map(({ port, command }) => `${port} ${command}`);
    expect(onLoopback).toEqual(
      expect.arrayContaining([
        `${room.keycloak.port} java`,
        `${room.keycloak.managementPort} java`,
        `${room.inspector.port} node build/index.js`,
        `${room.inspector.sandboxPort} node build/index.js`,
      ]),
    );
  });

  test('the admin password is random, kept readable by the instructor only, shown by `admin-password`, and on no handout', async () => {
    const file = path.join(env.LAB_STATE_DIR!, 'keycloak-admin-password');
    const stat = statSync(file);
    const password = readFileSync(file, 'utf8').trim();

    expect({ mode: (stat.mode & 0o777).toString(8), owner: stat.uid }).toEqual({ mode: '600', owner: process.getuid!() });
    expect(password).toMatch(/^[\w-]{24}$/);
    const shown = await runLab(['admin-password'], env);
    expect(shown.stdout).toContain(`user admin, password ${password}`);
    for (const seen of ['classroom/handout.html', 'classroom/handout.csv', 'lab.log', 'state.json']) {
      expect(readFileSync(path.join(env.LAB_STATE_DIR!, seen), 'utf8'), seen).not.toContain(password);
    }
    // The tutorial's admin / admin does not exist here.
    await expect(connectAdminClient({ baseUrl: room.keycloak.adminUrl, username: 'admin', password: 'admin' })).rejects.toThrow(
      /refused the admin login/,
    );
    await connectAdminClient({ baseUrl: room.keycloak.adminUrl, username: 'admin', password });
  });

  test('a student runs `lab check` on the laptop: a real login, whoami over SSE and Streamable HTTP, reported to the progress page', async () => {
    const student = students[0]!;

    const checked = await labCheckOnLaptop(laptop, room.server.url, student, studentEnv);

    expect(
      checked.results.filter(({ status }) => status !== 'pass'),
      JSON.stringify(checked.results, null, 2),
    ).toEqual([]);
    expect(checked.passed).toBe(true);
    expect(checked.results.find(({ name }) => name === 'checkpoint 2')!.detail).toMatch(
      new RegExp(`^${student.username} signed in at Keycloak; whoami returned their claims .* over SSE and Streamable HTTP`),
    );
    expect(checked.reportedTo).toBe(room.classroom.progressUrl);
    const progress = (await (await fetch(`${room.classroom.progressUrl}/progress.json`)).json()) as {
      students: Array<{ username: string; checkpoints: Record<string, { passed: boolean }> }>;
    };
    expect(progress.students.find(({ username }) => username === student.username)?.checkpoints['2']?.passed).toBe(true);
  });

  test("from the laptop the realm's pages answer, and the admin console, admin API, master realm, health, metrics, management port and Inspector do not", async () => {
    await expectOnlyRealmPagesReachable(
      laptop,
      room,
      {
        'management port': room.keycloak.managementPort,
        Inspector: room.inspector.port,
        'Inspector sandbox': room.inspector.sandboxPort,
      },
      'classroom-network',
    );
  });

  test("from the laptop, DNS rebinding: a foreign Host or Origin is refused by whoami before authentication (and a foreign Host by the progress page); the room's name passes", async () => {
    await expectRebindingRefused(laptop, room, [`${room.classroom.progressUrl}/progress.json`]);
  });

  test("from the laptop, repeated wrong passwords lock the account with Keycloak's own message; `lab reset` unlocks it", async () => {
    test.setTimeout(240_000);
    const student = students[1]!;
    const adminPassword = () => readFileSync(path.join(env.LAB_STATE_DIR!, 'keycloak-admin-password'), 'utf8').trim();
    const admin = await connectAdminClient({ baseUrl: room.keycloak.adminUrl, username: 'admin', password: adminPassword() });

    await expectWrongPasswordsLock(laptop, room, admin, student);
    const reset = await runLab(['reset'], env);

    expect(reset.exitCode, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`every lock-out in ${room.realm.name} cleared`);
    await admin.auth({ grantType: 'password', clientId: 'admin-cli', username: 'admin', password: adminPassword() });
    const [account] = await admin.users.find({ realm: room.realm.name, username: student.username, exact: true });
    expect(await admin.attackDetection.findOne({ realm: room.realm.name, id: account!.id! })).toMatchObject({
      disabled: false,
      numFailures: 0,
    });
    expect((await labCheckOnLaptop(laptop, room.server.url, student, studentEnv)).passed).toBe(true);
  });
});
