/**
 * The memory a room's whoami server holds for its SSE clients is let go when they go: a client
 * that opens the SSE stream and leaves (closes the connection, as a closed laptop's TCP reset or
 * a closed Inspector tab does) leaves no transport behind. The server's own count, in /healthz,
 * says so; the test waits for it, it does not time it.
 */
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import type { StartedService } from '../../core/process.ts';
import { expect, test } from '../support/fixtures.ts';
import { startServer } from '../support/broken-servers.ts';
import { lab } from '../support/lab.ts';
import { matrixClients, passwordGrantToken } from '../support/matrix-tokens.ts';
import { testPorts } from '../support/test-ports.ts';

const port = testPorts.sseSessionsWhoami;
const serverUrl = `http://localhost:${port}`;
let server: StartedService;

test.beforeAll(async ({}, testInfo) => {
  server = await startServer(path.join(repoRoot, 'server', 'whoami.ts'), port, testInfo.outputPath('whoami.log'));
});
test.afterAll(async () => {
  await server?.stop();
});

async function sseSessions(): Promise<number> {
  const health = (await (await fetch(`${serverUrl}/healthz`)).json()) as { sseSessions?: number };
  return health.sseSessions ?? Number.NaN;
}

/** Opens the SSE stream and reads up to its first event (the messages endpoint): the session exists. */
async function openSseSession(token: string): Promise<AbortController> {
  const leave = new AbortController();
  const response = await fetch(`${serverUrl}/sse`, {
    headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
    signal: leave.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  let received = '';
  while (!received.includes('sessionId=')) {
    const { value, done } = await reader.read();
    if (done) break;
    received += new TextDecoder().decode(value);
  }
  expect(received).toContain('event: endpoint');
  return leave;
}

test('SSE clients that open a session and go are let go: the server holds none of them after', async () => {
  const token = await passwordGrantToken({ clientId: matrixClients.audienceBound, user: lab.user, scope: 'openid profile email' });
  expect(await sseSessions()).toBe(0);

  const clients = await Promise.all(Array.from({ length: 5 }, () => openSseSession(token)));
  expect(await sseSessions()).toBe(5);

  for (const client of clients) client.abort();
  await expect.poll(sseSessions, { message: 'SSE sessions still held after their clients went' }).toBe(0);
});
