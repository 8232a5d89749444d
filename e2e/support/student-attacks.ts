/**
 * What a student's laptop tries against a classroom, and what each attempt must get — shared by
 * the native classroom (classroom-network.spec.ts) and the docker compose one
 * (compose-classroom.spec.ts). Each function runs its requests inside the laptop's namespace and
 * asserts on the answers; the answers are printed for the record.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { expect } from '@playwright/test';
import type { LabConfig } from '../../core/config.ts';
import { initializeRequest, mcpPostHeaders } from '../../lab/check/mcp-requests.ts';
import { authorizationUrl } from './authorization-url.ts';
import type { ProbeAnswer, ProbeRequest, WrongPasswordsAnswer } from './on-the-laptop.ts';
import { studentDoes, type StudentLaptop } from './student-laptop.ts';

/** The gate's refusal, as nginx renders it from keycloak-gate.conf.template. */
const refusedByGate = (answer: ProbeAnswer) => answer.status === 403 && /^\{"error":"forbidden"/.test(answer.body ?? '');

async function probeAll(
  laptop: StudentLaptop,
  label: string,
  requests: Record<string, ProbeRequest>,
): Promise<Record<string, ProbeAnswer>> {
  const names = Object.keys(requests);
  const answers = await studentDoes<ProbeAnswer[]>(laptop, 'probe', { requests: Object.values(requests) });
  const byName = Object.fromEntries(answers.map((answer, index) => [names[index]!, answer]));
  console.log(
    `[${label}] from the laptop:\n${names.map((name) => `  ${name}: ${byName[name]!.status ?? byName[name]!.error} ${byName[name]!.body?.slice(0, 110).replace(/\s+/g, ' ') ?? ''}`).join('\n')}`,
  );
  return byName;
}

/**
 * Keycloak through the gate: the realm's metadata, login page and its resources answer; the admin
 * console, the admin API, the master realm (however its name is spelt), health, metrics and path
 * tricks do not; forged X-Forwarded-* headers change nothing; `unreachable` ports (management,
 * Inspector) refuse the connection.
 */
export async function expectOnlyRealmPagesReachable(
  laptop: StudentLaptop,
  room: LabConfig,
  unreachable: Record<string, number>,
  label: string,
): Promise<void> {
  const keycloak = room.keycloak.url;
  const realm = `${keycloak}/realms/${room.realm.name}`;
  const adminToken = {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=password&client_id=admin-cli&username=admin&password=admin',
  };
  const requests: Record<string, ProbeRequest> = {
    'realm metadata': { url: `${realm}/.well-known/openid-configuration` },
    'login page': { url: authorizationUrl(room.realm.issuer, room.client.id, room.client.testRedirectUri).href },
    'realm metadata, forged X-Forwarded-*': {
      url: `${realm}/.well-known/openid-configuration`,
      headers: {
        'X-Forwarded-Host': 'evil.example',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Port': '443',
        Forwarded: 'host=evil.example',
      },
    },
    'admin console': { url: `${keycloak}/admin/` },
    'admin console (master)': { url: `${keycloak}/admin/master/console/` },
    'admin API': { url: `${keycloak}/admin/realms`, headers: { Authorization: 'Bearer x' } },
    'admin API of the realm': { url: `${keycloak}/admin/realms/${room.realm.name}/users` },
    'master realm metadata': { url: `${keycloak}/realms/master/.well-known/openid-configuration` },
    'master realm token (admin / admin)': { url: `${keycloak}/realms/master/protocol/openid-connect/token`, ...adminToken },
    'master realm, percent-encoded': { url: `${keycloak}/realms/%6Daster/.well-known/openid-configuration` },
    'master realm, upper case': { url: `${keycloak}/realms/MASTER/.well-known/openid-configuration` },
    'master realm, RFC 8414 path': { url: `${keycloak}/.well-known/oauth-authorization-server/realms/master` },
    health: { url: `${keycloak}/health/ready` },
    metrics: { url: `${keycloak}/metrics` },
    root: { url: `${keycloak}/` },
    'dot segments': { url: `${realm}/../master/.well-known/openid-configuration` },
    'encoded dot segments': { url: `${realm}/%2e%2e/master/.well-known/openid-configuration` },
    'encoded slashes': { url: `${realm}/..%2f..%2fadmin/` },
    'double-encoded master': { url: `${keycloak}/realms/%256Daster/.well-known/openid-configuration` },
    ...Object.fromEntries(
      Object.entries(unreachable).map(([name, port]) => [name, { url: `http://${new URL(keycloak).hostname}:${port}/` }]),
    ),
  };
  const answers = await probeAll(laptop, label, requests);

  const metadata = JSON.parse(answers['realm metadata']!.body!) as { issuer: string; token_endpoint: string };
  expect(answers['realm metadata']!.status).toBe(200);
  expect(metadata.issuer).toBe(room.realm.issuer);
  expect(answers['login page']).toMatchObject({ status: 200, contentType: expect.stringContaining('text/html') });
  // Keycloak's back-channel URLs follow the request's Host, never a forwarded header the student sends.
  expect(metadata.token_endpoint).toBe(`${room.realm.issuer}/protocol/openid-connect/token`);
  expect(JSON.parse(answers['realm metadata, forged X-Forwarded-*']!.body!).token_endpoint).toBe(metadata.token_endpoint);
  // The login page's own resources (Keycloak's /resources/, through the gate).
  const stylesheet = /href="((?:https?:\/\/[^"]+)?\/resources\/[^"]+\.css)"/.exec(answers['login page']!.body!)?.[1];
  expect(stylesheet, 'the login page links a stylesheet under /resources/').toBeDefined();
  const [resource] = await studentDoes<ProbeAnswer[]>(laptop, 'probe', { requests: [{ url: new URL(stylesheet!, keycloak).href }] });
  expect(resource).toMatchObject({ status: 200, contentType: expect.stringContaining('text/css') });

  for (const name of [
    'admin console',
    'admin console (master)',
    'admin API',
    'admin API of the realm',
    'master realm metadata',
    'master realm token (admin / admin)',
    'master realm, percent-encoded',
    'master realm, upper case',
    'master realm, RFC 8414 path',
    'health',
    'metrics',
    'root',
  ]) {
    expect(refusedByGate(answers[name]!), `${name}: ${JSON.stringify(answers[name])}`).toBe(true);
  }
  for (const name of ['dot segments', 'encoded dot segments', 'encoded slashes']) expect(answers[name]!.status, name).toBe(400);
  // Passed on as it came; Keycloak decodes it once, to "%6Daster", a realm that does not exist.
  expect(answers['double-encoded master']!.status).toBe(404);
  for (const name of Object.keys(unreachable)) expect(answers[name]!.error, name).toBe('ECONNREFUSED');
}

/**
 * DNS rebinding against the whoami server (both transports) and `extraHostChecked` servers: a
 * foreign Host or Origin gets 403 and a JSON-RPC error before authentication; the room's name,
 * and an Origin under it, reach authentication (401).
 */
export async function expectRebindingRefused(laptop: StudentLaptop, room: LabConfig, extraHostChecked: string[] = []): Promise<void> {
  const mcp = `${room.server.url}/mcp`;
  const sse = `${room.server.url}/sse`;
  const foreignHost = (url: string) => `evil.example:${new URL(url).port}`;
  const post = { method: 'POST', body: JSON.stringify(initializeRequest('laptop')), headers: mcpPostHeaders };
  const refused: ProbeRequest[] = [
    { url: mcp, ...post, headers: { ...post.headers, Host: foreignHost(mcp) } },
    { url: mcp, ...post, headers: { ...post.headers, Origin: 'http://evil.example' } },
    { url: sse, headers: { Accept: 'text/event-stream', Host: foreignHost(sse) } },
    { url: sse, headers: { Accept: 'text/event-stream', Origin: 'http://evil.example' } },
    ...extraHostChecked.map((url) => ({ url, headers: { Host: foreignHost(url) } })),
  ];
  const passing: ProbeRequest[] = [
    { url: mcp, ...post, headers: { ...post.headers, Origin: `http://${room.publicHost}:${room.inspector.port}` } },
    { url: sse, headers: { Accept: 'text/event-stream' } },
  ];
  const answers = await studentDoes<ProbeAnswer[]>(laptop, 'probe', { requests: [...refused, ...passing] });

  for (const [index, answer] of answers.slice(0, refused.length).entries()) {
    expect(answer.status, JSON.stringify(refused[index])).toBe(403);
    expect(JSON.parse(answer.body!)).toMatchObject({
      jsonrpc: '2.0',
      error: { code: -32000, message: expect.stringMatching(/^Invalid (Host|Origin)/) },
      id: null,
    });
  }
  for (const answer of answers.slice(refused.length)) expect(answer.status).toBe(401);
}

/**
 * Keycloak's brute-force detection from the laptop: the realm's failure factor of wrong passwords,
 * then the right one, which a locked account refuses with the same message; Keycloak recorded
 * the laptop's address (the gate's X-Forwarded-For), not the gate's.
 */
export async function expectWrongPasswordsLock(
  laptop: StudentLaptop,
  room: LabConfig,
  admin: KeycloakAdminClient,
  student: { username: string; password: string },
): Promise<void> {
  const failures = room.realm.bruteForce!.failureFactor;
  const [account] = await admin.users.find({ realm: room.realm.name, username: student.username, exact: true });

  const guessed = await studentDoes<WrongPasswordsAnswer>(laptop, 'wrong-passwords', {
    authorizationUrl: authorizationUrl(room.realm.issuer, room.client.id, room.client.testRedirectUri).href,
    redirectUri: room.client.testRedirectUri,
    username: student.username,
    wrongPassword: 'not-the-password',
    attempts: failures,
    rightPassword: student.password,
  });

  expect(guessed.messages).toEqual(Array(failures).fill('Invalid username or password.'));
  // Locked: the right password gets the same answer (nothing tells a guesser it hit a lock) and no code.
  expect(guessed.messageAfterRightPassword).toBe('Invalid username or password.');
  expect(guessed.redirectedWithCode).toBe(false);
  const locked = (await admin.attackDetection.findOne({ realm: room.realm.name, id: account!.id! })) as {
    disabled: boolean;
    numFailures: number;
    lastIPFailure: string;
  };
  expect(locked).toMatchObject({ disabled: true, lastIPFailure: laptop.laptopAddress });
  expect(locked.numFailures).toBeGreaterThanOrEqual(failures);
}
