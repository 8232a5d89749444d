/**
 * DNS rebinding (MCP transports, "Security Warning"): a web page whose host name an attacker
 * re-points at the learner's machine sends the attacker's name as Host, and as Origin. The whoami
 * server refuses both before authentication runs, with the MCP SDK's answer — 403 and a JSON-RPC
 * error — for each server (Node in each mode, Python) and over each transport; the lab's own names
 * get as far as authentication.
 * The Inspector's own checks stay on, and Keycloak's fixed host name ignores a foreign Host.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { initializeRequest } from '../../lab/check/mcp-requests.ts';
import { startInspector } from '../../lab/inspector-process.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab, mcpEndpoint, servers, type Transport } from '../support/lab.ts';

interface Answer {
  status: number;
  contentType: string | undefined;
  challenge: string | undefined;
  body: string;
}

const initialize = JSON.stringify(initializeRequest('e2e'));

/** A request as a rebinding page's browser sends it, through node:http (fetch will not send a Host of its own). */
function send(url: URL, transport: Transport, headers: Record<string, string>): Promise<Answer> {
  const opening =
    transport === 'sse'
      ? { method: 'GET', headers: { Accept: 'text/event-stream' } }
      : { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } };
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: opening.method, headers: { ...opening.headers, ...headers }, timeout: 10_000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        // A stream that opened (SSE after authentication) never ends: the status is what matters.
        response.on('data', (chunk) => {
          body += chunk;
          if (body.length > 4096) response.destroy();
        });
        const done = () =>
          resolve({
            status: response.statusCode!,
            contentType: response.headers['content-type'],
            challenge: response.headers['www-authenticate'],
            body,
          });
        response.on('end', done);
        response.on('close', done);
      },
    );
    request.on('error', reject);
    request.end(transport === 'sse' ? undefined : initialize);
  });
}

function expectRefusedBeforeAuthentication(answer: Answer, message: RegExp): void {
  expect(answer.status).toBe(403);
  expect(answer.contentType).toContain('application/json');
  // Authentication never ran: no Bearer challenge.
  expect(answer.challenge).toBeUndefined();
  expect(JSON.parse(answer.body)).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(message) }, id: null });
}

for (const server of servers) {
  for (const transport of ['sse', 'streamable-http'] as const) {
    test.describe(`DNS rebinding, ${server.name}, ${transport === 'sse' ? 'SSE' : 'Streamable HTTP'}`, () => {
      const endpoint = () => mcpEndpoint(server.url, transport);

      test('a foreign Host is refused with 403 and a JSON-RPC error, before authentication', async () => {
        const answer = await send(endpoint(), transport, { Host: `evil.example:${endpoint().port}` });

        expectRefusedBeforeAuthentication(answer, /^Invalid Host: evil\.example$/);
      });

      test('a foreign Origin is refused with 403 and a JSON-RPC error, before authentication', async () => {
        const answer = await send(endpoint(), transport, { Origin: 'http://evil.example' });

        expectRefusedBeforeAuthentication(answer, /^Invalid Origin: http:\/\/evil\.example$/);
      });

      test("the lab's own names pass, as Host and as Origin, and reach authentication", async () => {
        const port = endpoint().port;
        const own: Array<Record<string, string>> = [
          { Host: `localhost:${port}` },
          { Host: `127.0.0.1:${port}` },
          { Host: `[::1]:${port}` },
          { Host: `localhost:${port}`, Origin: lab.inspector.url },
          { Host: `localhost:${port}`, Origin: `http://127.0.0.1:${lab.inspector.port}` },
        ];
        for (const headers of own) {
          const answer = await send(endpoint(), transport, headers);

          expect(answer.status, JSON.stringify(headers)).toBe(401);
          if (server.sdk === 'node') {
            expect(answer.challenge, JSON.stringify(headers)).toMatch(/^Bearer\b/);
          } else {
            // mcpauth 0.1.1 sends no challenge; its 401 body says what is missing (checkpoint 1).
            expect(answer.challenge, JSON.stringify(headers)).toBeUndefined();
            expect(JSON.parse(answer.body), JSON.stringify(headers)).toMatchObject({ error: 'missing_auth_header' });
          }
        }
      });
    });
  }
}

test.describe("the other servers' own checks stay on", () => {
  test('the Inspector refuses a foreign Host and a foreign Origin, and its API asks for its token', async ({}, testInfo) => {
    // An Inspector of its own, away from the one port the checkpoint tests take turns on.
    const port = lab.inspector.port + 60;
    const inspector = await startInspector({
      port,
      sandboxPort: port + 1,
      appOriginPort: port + 4,
      apiToken: randomBytes(16).toString('hex'),
      servers: {},
      homeDir: testInfo.outputPath('inspector-home'),
      logPath: testInfo.outputPath('inspector.log'),
      readyTimeoutMs: lab.inspector.readyTimeoutMs,
    });
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path, headers }, (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode!));
          })
          .on('error', reject);
      });
    try {
      expect(await get('/', { Host: `evil.example:${port}` })).toBe(403);
      expect(await get('/api/config', { Host: `localhost:${port}`, Origin: 'http://evil.example' })).toBe(403);
      expect(await get('/api/config', { Host: `localhost:${port}` })).toBe(401);
      expect(await get('/', { Host: `localhost:${port}` })).toBe(200);
    } finally {
      await inspector.stop();
    }
  });

  test("Keycloak answers a foreign Host with its own issuer (hostname v2), never the attacker's", async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(lab.keycloak.url);
      http
        .get(
          {
            host: hostname === 'localhost' ? '127.0.0.1' : hostname,
            port,
            path: `/realms/${lab.realm.name}/.well-known/openid-configuration`,
            headers: { Host: `evil.example:${port}` },
          },
          (response) => {
            let body = '';
            response.on('data', (chunk) => {
              body += chunk;
            });
            response.on('end', () => resolve(body));
          },
        )
        .on('error', reject);
    });
    const metadata = JSON.parse(answer) as { issuer: string; authorization_endpoint: string };

    expect(metadata.issuer).toBe(lab.realm.issuer);
    expect(metadata.authorization_endpoint).toBe(`${lab.realm.issuer}/protocol/openid-connect/auth`);
  });
});
