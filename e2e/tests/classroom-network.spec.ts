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
import { authorizationUrl } from '../support/authorization-url.ts';
import { expect, test } from '../support/fixtures.ts';
import { describeSockets, isLoopbackAddress, listeningSocketsOf } from '../support/listening-sockets.ts';
import type { ProbeAnswer, ProbeRequest, WrongPasswordsAnswer } from '../support/on-the-laptop.ts';
import { runLab } from '../support/run-command.ts';
import { createStudentLaptop, labCheckOnLaptop, studentDoes, type StudentLaptop } from '../support/student-laptop.ts';
import { testLabConfig } from '../test-target.ts';

interface Student { username: string; password: string }

const base = testLabConfig();
/** The classroom lab's ports: the test lab's plus 50 (lab-cli.spec.ts uses +100), and a Keycloak copy of its own. */
const roomSettings = {
  KEYCLOAK_PORT: String(base.keycloak.port + 50),
  KEYCLOAK_MANAGEMENT_PORT: String(base.keycloak.managementPort + 50),
  WHOAMI_PORT: String(base.server.port + 50),
  INSPECTOR_PORT: String(base.inspector.port + 50),
  INSPECTOR_SANDBOX_PORT: String(base.inspector.sandboxPort + 50),
  INSPECTOR_APP_ORIGIN_PORT: String(base.inspector.appOriginPort + 50),
  LAB_PROGRESS_PORT: String(base.classroom.progressPort + 50),
  KEYCLOAK_INSTANCE: 'e2e-classroom',
  // Derived from LAB_PUBLIC_HOST and the ports above; the admin password is the classroom's random one.
  KEYCLOAK_URL: '', WHOAMI_URL: '', INSPECTOR_URL: '', INSPECTOR_API_TOKEN: '', KEYCLOAK_ADMIN_PASSWORD: '',
};

let laptop: StudentLaptop;
let room: LabConfig;
let env: Record<string, string>;
let students: Student[];
/** A student's settings on their laptop: the room's address and ports, nothing of the instructor's. */
let studentEnv: Record<string, string>;

/** The gate's refusal, as nginx renders it from keycloak-gate.conf.template. */
const refusedByGate = (answer: ProbeAnswer) => answer.status === 403 && /^\{"error":"forbidden"/.test(answer.body ?? '');

test.describe.configure({ mode: 'default' });

test.describe('a classroom, from a student laptop on the room\'s network', () => {
  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(420_000);
    laptop = await createStudentLaptop();
    console.log(`[classroom-network] student laptop ${laptop.namespace}: ${laptop.laptopAddress} ↔ host ${laptop.hostAddress}`);
    env = { ...roomSettings, LAB_PUBLIC_HOST: laptop.hostAddress, LAB_STATE_DIR: testInfo.outputPath('room') };
    room = withSettings(base, env);
    studentEnv = {
      LAB_PUBLIC_HOST: laptop.hostAddress, KEYCLOAK_PORT: env.KEYCLOAK_PORT!, WHOAMI_PORT: env.WHOAMI_PORT!, LAB_PROGRESS_PORT: env.LAB_PROGRESS_PORT!,
      KEYCLOAK_URL: '', WHOAMI_URL: '', INSPECTOR_URL: '', LAB_STATE_DIR: testInfo.outputPath('laptop'),
    };
    // An instructor's first classroom: a fresh database, whose admin gets the random password.
    rmSync(path.join(await ensureKeycloakInstance(room.keycloak.version, room.keycloak.instanceName, room.cacheDir), 'data'), { recursive: true, force: true });

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

  test('Keycloak and its management port listen on loopback; nginx and the whoami server on the room\'s address; the Inspector on loopback', () => {
    const { pid } = JSON.parse(readFileSync(path.join(env.LAB_STATE_DIR!, 'state.json'), 'utf8')) as { pid: number };
    const sockets = listeningSocketsOf(pid);
    console.log(`[classroom-network] \`lab up\` (LAB_PUBLIC_HOST=${laptop.hostAddress}) listens on:\n${describeSockets(sockets)}`);

    const facingTheRoom = sockets.filter(({ address }) => !isLoopbackAddress(address)).map(({ address, port, command }) => `${address}:${port} ${command}`).sort();
    expect(facingTheRoom).toEqual([
      `${laptop.hostAddress}:${room.server.port} node server/whoami.ts`,
      `${laptop.hostAddress}:${room.keycloak.port} nginx`,
      `${laptop.hostAddress}:${room.classroom.progressPort} node lab/cli.ts`,
    ].sort());
    const onLoopback = sockets.filter(({ address }) => isLoopbackAddress(address)).map(({ port, command }) => `${port} ${command}`);
    expect(onLoopback).toEqual(expect.arrayContaining([
      `${room.keycloak.port} java`, `${room.keycloak.managementPort} java`,
      `${room.inspector.port} node build/index.js`, `${room.inspector.sandboxPort} node build/index.js`,
    ]));
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
    await expect(connectAdminClient({ baseUrl: room.keycloak.adminUrl, username: 'admin', password: 'admin' })).rejects.toThrow(/refused the admin login/);
    await connectAdminClient({ baseUrl: room.keycloak.adminUrl, username: 'admin', password });
  });

  test('a student runs `lab check` on the laptop: a real login, whoami over SSE and Streamable HTTP, reported to the progress page', async () => {
    const student = students[0]!;

    const checked = await labCheckOnLaptop(laptop, room.server.url, student, studentEnv);

    expect(checked.results.filter(({ status }) => status !== 'pass'), JSON.stringify(checked.results, null, 2)).toEqual([]);
    expect(checked.passed).toBe(true);
    expect(checked.results.find(({ name }) => name === 'checkpoint 2')!.detail).toMatch(new RegExp(`^${student.username} signed in at Keycloak; whoami returned their claims .* over SSE and Streamable HTTP`));
    expect(checked.reportedTo).toBe(room.classroom.progressUrl);
    const progress = await (await fetch(`${room.classroom.progressUrl}/progress.json`)).json() as { students: Array<{ username: string; checkpoints: Record<string, { passed: boolean }> }> };
    expect(progress.students.find(({ username }) => username === student.username)?.checkpoints['2']?.passed).toBe(true);
  });

  test('from the laptop the realm\'s pages answer, and the admin console, admin API, master realm, health, metrics, management port and Inspector do not', async () => {
    const keycloak = room.keycloak.url;
    const realm = `${keycloak}/realms/${room.realm.name}`;
    const loginPage = authorizationUrl(room.realm.issuer, room.client.id, room.client.testRedirectUri).href;
    const adminToken = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&client_id=admin-cli&username=admin&password=admin' };
    const requests: Record<string, ProbeRequest> = {
      'realm metadata': { url: `${realm}/.well-known/openid-configuration` },
      'login page': { url: loginPage },
      'realm metadata, forged X-Forwarded-*': { url: `${realm}/.well-known/openid-configuration`, headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443', Forwarded: 'host=evil.example' } },
      'admin console': { url: `${keycloak}/admin/` },
      'admin console (master)': { url: `${keycloak}/admin/master/console/` },
      'admin API': { url: `${keycloak}/admin/realms`, headers: { Authorization: 'Bearer x' } },
      'admin API of the realm': { url: `${keycloak}/admin/realms/${room.realm.name}/users` },
      'master realm metadata': { url: `${keycloak}/realms/master/.well-known/openid-configuration` },
      'master realm token (admin / admin)': { url: `${keycloak}/realms/master/protocol/openid-connect/token`, ...adminToken },
      'master realm, percent-encoded': { url: `${keycloak}/realms/%6Daster/.well-known/openid-configuration` },
      'master realm, upper case': { url: `${keycloak}/realms/MASTER/.well-known/openid-configuration` },
      'master realm, RFC 8414 path': { url: `${keycloak}/.well-known/oauth-authorization-server/realms/master` },
      'health': { url: `${keycloak}/health/ready` },
      'metrics': { url: `${keycloak}/metrics` },
      'root': { url: `${keycloak}/` },
      'dot segments': { url: `${realm}/../master/.well-known/openid-configuration` },
      'encoded dot segments': { url: `${realm}/%2e%2e/master/.well-known/openid-configuration` },
      'encoded slashes': { url: `${realm}/..%2f..%2fadmin/` },
      'double-encoded master': { url: `${keycloak}/realms/%256Daster/.well-known/openid-configuration` },
      'management port': { url: `http://${laptop.hostAddress}:${room.keycloak.managementPort}/health/ready` },
      'Inspector': { url: `http://${laptop.hostAddress}:${room.inspector.port}/` },
      'Inspector sandbox': { url: `http://${laptop.hostAddress}:${room.inspector.sandboxPort}/` },
    };
    const names = Object.keys(requests);
    const answers = Object.fromEntries((await studentDoes<ProbeAnswer[]>(laptop, 'probe', { requests: Object.values(requests) })).map((answer, index) => [names[index]!, answer]));
    console.log(`[classroom-network] from the laptop:\n${names.map((name) => `  ${name}: ${answers[name]!.status ?? answers[name]!.error} ${answers[name]!.body?.slice(0, 110).replace(/\s+/g, ' ') ?? ''}`).join('\n')}`);

    const metadata = JSON.parse(answers['realm metadata']!.body!) as { issuer: string; token_endpoint: string };
    expect(answers['realm metadata']!.status).toBe(200);
    expect(metadata.issuer).toBe(room.realm.issuer);
    expect(answers['login page']).toMatchObject({ status: 200, contentType: expect.stringContaining('text/html') });
    // Keycloak's back-channel URLs follow the request's Host, never a forwarded header the student sends.
    expect(JSON.parse(answers['realm metadata, forged X-Forwarded-*']!.body!).token_endpoint).toBe(metadata.token_endpoint);
    expect(metadata.token_endpoint).toBe(`${room.realm.issuer}/protocol/openid-connect/token`);

    // The login page's own resources (Keycloak's /resources/, through the gate).
    const stylesheet = /href="((?:https?:\/\/[^"]+)?\/resources\/[^"]+\.css)"/.exec(answers['login page']!.body!)?.[1];
    expect(stylesheet, 'the login page links a stylesheet under /resources/').toBeDefined();
    const [resource] = await studentDoes<ProbeAnswer[]>(laptop, 'probe', { requests: [{ url: new URL(stylesheet!, keycloak).href }] });
    expect(resource).toMatchObject({ status: 200, contentType: expect.stringContaining('text/css') });

    for (const name of ['admin console', 'admin console (master)', 'admin API', 'admin API of the realm', 'master realm metadata', 'master realm token (admin / admin)',
      'master realm, percent-encoded', 'master realm, upper case', 'master realm, RFC 8414 path', 'health', 'metrics', 'root']) {
      expect(refusedByGate(answers[name]!), `${name}: ${JSON.stringify(answers[name])}`).toBe(true);
    }
    for (const name of ['dot segments', 'encoded dot segments', 'encoded slashes']) expect(answers[name]!.status, name).toBe(400);
    // Passed on as it came; Keycloak decodes it once, to "%6Daster", a realm that does not exist.
    expect(answers['double-encoded master']!.status).toBe(404);
    for (const name of ['management port', 'Inspector', 'Inspector sandbox']) expect(answers[name]!.error, name).toBe('ECONNREFUSED');
  });

  test('from the laptop, DNS rebinding: a foreign Host or Origin is refused by whoami before authentication (and a foreign Host by the progress page); the room\'s name passes', async () => {
    const mcp = `${room.server.url}/mcp`;
    const sse = `${room.server.url}/sse`;
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'laptop', version: '1' } } });
    const post = { method: 'POST', body: initialize, headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } };
    const requests: ProbeRequest[] = [
      { url: mcp, ...post, headers: { ...post.headers, Host: `evil.example:${room.server.port}` } },
      { url: mcp, ...post, headers: { ...post.headers, Origin: 'http://evil.example' } },
      { url: sse, headers: { Accept: 'text/event-stream', Host: `evil.example:${room.server.port}` } },
      { url: sse, headers: { Accept: 'text/event-stream', Origin: 'http://evil.example' } },
      { url: mcp, ...post, headers: { ...post.headers, Origin: `http://${laptop.hostAddress}:${room.inspector.port}` } },
      { url: sse, headers: { Accept: 'text/event-stream' } },
      { url: `${room.classroom.progressUrl}/progress.json`, headers: { Host: `evil.example:${room.classroom.progressPort}` } },
    ];
    const [mcpHost, mcpOrigin, sseHost, sseOrigin, ownOrigin, own, progressHost] = await studentDoes<ProbeAnswer[]>(laptop, 'probe', { requests });

    for (const refused of [mcpHost, mcpOrigin, sseHost, sseOrigin, progressHost]) {
      expect(refused!.status).toBe(403);
      expect(JSON.parse(refused!.body!)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(/^Invalid (Host|Origin)/) }, id: null });
    }
    // The lab's own names reach authentication, which asks for a token.
    expect(ownOrigin!.status).toBe(401);
    expect(own!.status).toBe(401);
  });

  test('from the laptop, repeated wrong passwords lock the account with Keycloak\'s own message; `lab reset` unlocks it', async () => {
    test.setTimeout(240_000);
    const student = students[1]!;
    const failures = room.realm.bruteForce!.failureFactor;
    const admin = await connectAdminClient({ baseUrl: room.keycloak.adminUrl, username: 'admin', password: readFileSync(path.join(env.LAB_STATE_DIR!, 'keycloak-admin-password'), 'utf8').trim() });
    const [account] = await admin.users.find({ realm: room.realm.name, username: student.username, exact: true });

    const guessed = await studentDoes<WrongPasswordsAnswer>(laptop, 'wrong-passwords', {
      authorizationUrl: authorizationUrl(room.realm.issuer, room.client.id, room.client.testRedirectUri).href,
      redirectUri: room.client.testRedirectUri, username: student.username, wrongPassword: 'not-the-password', attempts: failures, rightPassword: student.password,
    });

    expect(guessed.messages).toEqual(Array(failures).fill('Invalid username or password.'));
    // Locked: the right password gets the same answer (Keycloak says nothing that tells a guesser it hit a lock) and no code.
    expect(guessed.messageAfterRightPassword).toBe('Invalid username or password.');
    expect(guessed.redirectedWithCode).toBe(false);
    const locked = await admin.attackDetection.findOne({ realm: room.realm.name, id: account!.id! }) as { disabled: boolean; numFailures: number; lastIPFailure: string };
    // Keycloak saw the laptop's address (through the gate's X-Forwarded-For), not the gate's.
    expect(locked).toMatchObject({ disabled: true, lastIPFailure: laptop.laptopAddress });
    expect(locked.numFailures).toBeGreaterThanOrEqual(failures);

    const reset = await runLab(['reset'], env);

    expect(reset.exitCode, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`every lock-out in ${room.realm.name} cleared`);
    await admin.auth({ grantType: 'password', clientId: 'admin-cli', username: 'admin', password: readFileSync(path.join(env.LAB_STATE_DIR!, 'keycloak-admin-password'), 'utf8').trim() });
    expect(await admin.attackDetection.findOne({ realm: room.realm.name, id: account!.id! })).toMatchObject({ disabled: false, numFailures: 0 });
    expect((await labCheckOnLaptop(laptop, room.server.url, student, studentEnv)).passed).toBe(true);
  });
});
