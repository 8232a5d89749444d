/**
 * The docker compose stack published for a classroom (`--profile classroom`, LAB_BIND_ADDRESS
 * and LAB_PUBLIC_HOST the room's address), seen from a student laptop: a network namespace of
 * its own with a veth link to this machine (support/student-laptop.ts). The stack is a project of
 * its own beside the one the compose suite runs against, on ports 50 above it. The same attempts
 * as classroom-network.spec.ts; see docs/security.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, withSettings, type LabConfig } from '../../core/config.ts';
import { waitForHttpOk } from '../../core/wait.ts';
import { connectAdminClient } from '../../provisioning/admin-client.ts';
import { compose } from '../support/compose.ts';
import { expect, test } from '../support/fixtures.ts';
import { describeSockets, listeningSocketsOf } from '../support/listening-sockets.ts';
import { runLab } from '../support/run-command.ts';
import { expectOnlyRealmPagesReachable, expectRebindingRefused, expectWrongPasswordsLock } from '../support/student-attacks.ts';
import { createStudentLaptop, labCheckOnLaptop, type StudentLaptop } from '../support/student-laptop.ts';
import { testLabConfig } from '../test-target.ts';

const base = testLabConfig();
const project = `${process.env.COMPOSE_PROJECT_NAME ?? path.basename(repoRoot)}-classroom`;
const roomPorts = {
  KEYCLOAK_PORT: String(base.keycloak.port + 50),
  WHOAMI_PORT: String(base.server.port + 50),
  INSPECTOR_PORT: String(base.inspector.port + 50),
};

let laptop: StudentLaptop;
let room: LabConfig;
/** What the instructor sets for `docker compose`, and for the lab's commands on their machine. */
let composeEnv: Record<string, string>;
let labEnv: Record<string, string>;

test.describe.configure({ mode: 'default' });

test.describe('docker compose published for a classroom, from a student laptop', () => {
  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(420_000);
    laptop = await createStudentLaptop();
    console.log(
      `[compose-classroom] student laptop ${laptop.namespace}: ${laptop.laptopAddress} ↔ host ${laptop.hostAddress}; project ${project}`,
    );
    const roomAddress = { LAB_PUBLIC_HOST: laptop.hostAddress, LAB_BIND_ADDRESS: laptop.hostAddress };
    composeEnv = { ...roomPorts, ...roomAddress, COMPOSE_PROJECT_NAME: project };
    labEnv = {
      ...roomPorts,
      ...roomAddress,
      KEYCLOAK_URL: '',
      WHOAMI_URL: '',
      INSPECTOR_URL: '',
      KEYCLOAK_INTERNAL_URL: '',
      LAB_STATE_DIR: testInfo.outputPath('room'),
    };
    room = withSettings(base, labEnv);

    const up = await compose(['--profile', 'classroom', 'up', '-d'], 360_000, composeEnv);
    expect(up.exitCode, up.stderr).toBe(0);
    // whoami starts once provisioning has finished.
    await waitForHttpOk(`${room.server.url}/healthz`, { timeoutMs: 240_000, intervalMs: 1_000 });
    // Students of its own, made from this machine as an instructor does (through Keycloak's loopback port).
    const classroom = await runLab(['classroom', '--students', '2'], labEnv);
    expect(classroom.exitCode, classroom.stderr).toBe(0);
  });

  test.afterAll(async () => {
    if (composeEnv) await compose(['--profile', 'classroom', 'down', '-v', '--remove-orphans'], 120_000, composeEnv);
    await laptop?.remove();
  });

  test("published: Keycloak and the Inspector on 127.0.0.1, the gate and the whoami server on the room's address", () => {
    // Docker's userland proxy holds the published ports: read its sockets, as for `lab up`.
    const dockerd = readdirSync('/proc').find((pid) => /^\d+$/.test(pid) && readFileSafe(`/proc/${pid}/comm`) === 'dockerd\n');
    expect(dockerd, 'a dockerd process').toBeDefined();
    const ours = new Set([room.keycloak.port, room.server.port, room.inspector.port]);
    const sockets = listeningSocketsOf(Number(dockerd)).filter(({ port }) => ours.has(port));
    console.log(`[compose-classroom] published:\n${describeSockets(sockets)}`);

    expect(sockets.map(({ address, port }) => `${address}:${port}`).sort()).toEqual(
      [
        `127.0.0.1:${room.keycloak.port}`,
        `${laptop.hostAddress}:${room.keycloak.port}`,
        `${laptop.hostAddress}:${room.server.port}`,
        `127.0.0.1:${room.inspector.port}`,
      ].sort(),
    );
  });

  test('a student runs `lab check` on the laptop against the stack: a real login, whoami over SSE and Streamable HTTP', async () => {
    const [student] = studentsOf(labEnv);
    const studentEnv = {
      ...roomPorts,
      LAB_PUBLIC_HOST: laptop.hostAddress,
      KEYCLOAK_URL: '',
      WHOAMI_URL: '',
      LAB_STATE_DIR: test.info().outputPath('laptop'),
    };

    const checked = await labCheckOnLaptop(laptop, room.server.url, student!, studentEnv, { report: false });

    expect(
      checked.results.filter(({ status }) => status !== 'pass'),
      JSON.stringify(checked.results, null, 2),
    ).toEqual([]);
    expect(checked.passed).toBe(true);
  });

  test("from the laptop the realm's pages answer through the gate, and the admin console, admin API, master realm, health, metrics and Inspector do not", async () => {
    await expectOnlyRealmPagesReachable(
      laptop,
      room,
      { Inspector: room.inspector.port, 'Inspector sandbox (not published)': room.inspector.sandboxPort },
      'compose-classroom',
    );
  });

  test('from the laptop, DNS rebinding: a foreign Host or Origin is refused by the whoami container before authentication', async () => {
    await expectRebindingRefused(laptop, room);
  });

  test("from the laptop, repeated wrong passwords lock the account; `lab reset` on the instructor's machine unlocks it", async () => {
    test.setTimeout(240_000);
    const [, student] = studentsOf(labEnv);
    const admin = await connectAdminClient({
      baseUrl: room.keycloak.adminUrl,
      username: room.keycloak.adminUsername,
      password: room.keycloak.adminPassword,
    });

    await expectWrongPasswordsLock(laptop, room, admin, student!);
    const reset = await runLab(['reset'], labEnv);

    expect(reset.exitCode, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`every lock-out in ${room.realm.name} cleared`);
  });
});

function studentsOf(env: Record<string, string>): Array<{ username: string; password: string }> {
  return JSON.parse(readFileSync(path.join(env.LAB_STATE_DIR!, 'classroom', 'students.json'), 'utf8')) as Array<{
    username: string;
    password: string;
  }>;
}

function readFileSafe(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
