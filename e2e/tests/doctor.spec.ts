/**
 * `lab doctor` against the real Keycloak: a healthy lab of its own (a realm and a spec-mode whoami
 * server on their own port), then each classic mistake made on purpose, found, and put back.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { repoRoot, withSettings, type LabConfig } from '../../core/config.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../../lab/whoami-process.ts';
import { connectAdminClient } from '../../provisioning/admin-client.ts';
import { provisionLab } from '../../provisioning/provision.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { runLab, type CommandResult } from '../support/run-command.ts';
import { labWithServerOn, testPorts } from '../support/test-ports.ts';

const realmName = `doctor-${randomBytes(4).toString('hex')}`;
const doctorLab: LabConfig = withSettings(labWithServerOn(testPorts.doctorWhoami), { KEYCLOAK_REALM: realmName, AUTH_MODE: 'spec' });
/** The environment `lab doctor` runs with: the doctor's realm and whoami port. */
const doctorEnv = { KEYCLOAK_REALM: realmName, WHOAMI_PORT: String(testPorts.doctorWhoami), WHOAMI_URL: '' };
const logDir = path.join(repoRoot, 'test-results', 'logs');

let server: StartedWhoamiServer;

async function freshAdmin(): Promise<KeycloakAdminClient> {
  return connectAdminClient({ baseUrl: lab.keycloak.adminUrl, username: lab.keycloak.adminUsername, password: lab.keycloak.adminPassword });
}

function doctor(env: Record<string, string> = {}): Promise<CommandResult> {
  return runLab(['doctor'], { ...doctorEnv, ...env });
}

/** The one ✗ line of a check, and that no other check complained. */
function expectOnlyProblem(result: CommandResult, check: string, ...fragments: string[]): void {
  expect(result.exitCode, result.stdout + result.stderr).toBe(1);
  const problems = result.stdout.split('\n').filter((line) => line.startsWith('✗ '));
  expect(problems, result.stdout).toHaveLength(1);
  expect(problems[0]).toContain(`✗ ${check}: `);
  expect(problems[0]).toContain(' — fix: ');
  for (const fragment of fragments) expect(problems[0]).toContain(fragment);
  expect(result.stderr).toBe('');
}

test.describe('lab doctor', () => {
  test.describe.configure({ mode: 'default' });

  test.beforeAll(async () => {
    await provisionLab(await freshAdmin(), doctorLab);
    server = await startDoctorServer();
  });

  test.afterAll(async () => {
    await server?.stop();
    await (await freshAdmin()).realms.del({ realm: realmName });
  });

  test.afterEach(async () => {
    // Put back whatever a test broke; provisioning repairs drift.
    await provisionLab(await freshAdmin(), doctorLab);
  });

  test('a healthy lab: every check ok, exit 0', async () => {
    const result = await doctor();

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('No problems found.');
    expect(lines.slice(0, -1).every((line) => line.startsWith('✓ ')), result.stdout).toBe(true);
    for (const check of ['Keycloak port', 'Keycloak ready', 'whoami port', 'issuer', 'redirect URI', 'web origin', 'audience', `user ${lab.user.username}`]) {
      expect(result.stdout).toContain(`✓ ${check}`);
    }
    expect(result.stdout).toContain(`✓ whoami port ${testPorts.doctorWhoami}: whoami Node.js SDK server in spec mode at http://localhost:${testPorts.doctorWhoami}`);
  });

  test('the Python server on the whoami port: doctor names it, and finds nothing wrong', async () => {
    await server.stop();
    const python = await startDoctorServer({ WHOAMI_SDK: 'python', AUTH_MODE: 'tutorial' });
    try {
      const result = await doctor();

      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`✓ whoami port ${testPorts.doctorWhoami}: whoami Python SDK server in tutorial mode at http://localhost:${testPorts.doctorWhoami}`);
      expect(result.stdout).toContain(`✓ issuer: ${doctorLab.realm.issuer} (Keycloak and the whoami server agree)`);
    } finally {
      await python.stop();
      server = await startDoctorServer();
    }
  });

  test('the Docker host-name trap: the server expects another issuer than Keycloak\'s', async () => {
    // A server that reaches Keycloak as 127.0.0.1, and so expects tokens issued as 127.0.0.1;
    // Keycloak's public URL (and issuer) says localhost.
    await server.stop();
    const trapped = await startDoctorServer({ KEYCLOAK_URL: `http://127.0.0.1:${lab.keycloak.port}` });
    try {
      const result = await doctor();

      expectOnlyProblem(result, 'issuer', `Keycloak issues tokens as ${doctorLab.realm.issuer}`, `http://127.0.0.1:${lab.keycloak.port}/realms/${realmName}`, 'KC_HOSTNAME');
    } finally {
      await trapped.stop();
      server = await startDoctorServer();
    }
  });

  test('no aud: the audience mapper was removed', async () => {
    const admin = await freshAdmin();
    const scope = await admin.clientScopes.findOneByName({ realm: realmName, name: lab.server.whoamiScope });
    for (const mapper of await admin.clientScopes.listProtocolMappers({ realm: realmName, id: scope!.id! })) {
      await admin.clientScopes.delProtocolMapper({ realm: realmName, id: scope!.id!, mapperId: mapper.id! });
    }

    expectOnlyProblem(await doctor(), 'audience', 'carry no matching aud', 'npm run provision');
  });

  test('the client\'s redirect URI and web origin do not match the Inspector\'s', async () => {
    const admin = await freshAdmin();
    const [client] = await admin.clients.find({ realm: realmName, clientId: lab.client.id });
    await admin.clients.update({ realm: realmName, id: client!.id! }, { ...client, redirectUris: ['http://localhost:5173/callback'], webOrigins: ['http://localhost:5173'] });

    const result = await doctor();

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`✗ redirect URI: ${lab.client.id} does not accept the Inspector's ${lab.client.inspectorRedirectUri}`);
    expect(result.stdout).toContain(`✗ web origin: ${lab.client.id} does not allow ${lab.client.inspectorWebOrigin}`);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ '))).toHaveLength(2);
  });

  test('the user is stopped at a required action', async () => {
    const admin = await freshAdmin();
    const [user] = await admin.users.find({ realm: realmName, username: lab.user.username, exact: true });
    await admin.users.update({ realm: realmName, id: user!.id! }, { ...user, requiredActions: ['UPDATE_PASSWORD'] });

    expectOnlyProblem(await doctor(), `user ${lab.user.username}`, 'required action UPDATE_PASSWORD');
  });

  test('Keycloak not ready: its health endpoint answers 503', async () => {
    await withHttpServer(testPorts.doctorSquatter, 503, '{"status":"DOWN"}', async () => {
      const result = await doctor({ KEYCLOAK_MANAGEMENT_PORT: String(testPorts.doctorSquatter) });

      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain(`✗ Keycloak ready: http://localhost:${testPorts.doctorSquatter}/health/ready answers HTTP 503`);
      expect(result.stdout).toContain('- audience: skipped (Keycloak not ready)');
    });
  });

  test('a port taken by something else', async () => {
    await server.stop();
    try {
      await withHttpServer(testPorts.doctorWhoami, 404, 'Cannot GET /healthz', async () => {
        const result = await doctor();

        expectOnlyProblem(result, `whoami port ${testPorts.doctorWhoami}`, 'taken by something else', `ss -ltnp 'sport = :${testPorts.doctorWhoami}'`);
      });
    } finally {
      server = await startDoctorServer();
    }
  });
});

/** The doctor realm's spec-mode whoami server, on the doctor's port. */
function startDoctorServer(settings: Record<string, string> = {}): Promise<StartedWhoamiServer> {
  return startWhoamiServer(withSettings(doctorLab, settings), { logPath: path.join(logDir, 'whoami-doctor.log') });
}

async function withHttpServer(port: number, status: number, body: string, work: () => Promise<void>): Promise<void> {
  const squatter = http.createServer((_request, response) => { response.writeHead(status).end(body); });
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  try {
    await work();
  } finally {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
  }
}
