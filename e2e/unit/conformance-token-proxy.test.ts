import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTokenProxy, type StartedTokenProxy } from '../../lab/conformance/token-proxy.ts';
import { expect, test } from '@playwright/test';

const secondEventAfterMs = 1_000;

/** A stand-in for the whoami server: echoes what it received, or streams events (SSE). */
async function startEchoServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.url === '/stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      // The second event only after the first has reached the client: the proxy must not buffer.
      setTimeout(() => response.end('data: second\n\n'), secondEventAfterMs);
      return;
    }
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json', 'mcp-session-id': 'abc' });
      response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let upstream: Awaited<ReturnType<typeof startEchoServer>>;
let proxy: StartedTokenProxy;

test.beforeEach(async () => {
  upstream = await startEchoServer();
  proxy = await startTokenProxy({ target: upstream.origin, token: 'the-token' });
});

test.afterEach(async () => {
  await proxy.stop();
  await upstream.close();
});

/** A raw request through the proxy: fetch() would not let a test set Host. */
function send(
  path: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

test('listens on 127.0.0.1 only, on a port the system picked', () => {
  expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(new URL(proxy.url).port).not.toBe(new URL(upstream.origin).port);
});

test('adds the bearer token and passes method, path, body, status and headers through', async () => {
  const answer = await send('/mcp?x=1', { headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0"}' });
  const received = JSON.parse(answer.body);

  expect(answer.status).toBe(201);
  expect(answer.headers['mcp-session-id']).toBe('abc');
  expect(received).toMatchObject({ method: 'POST', url: '/mcp?x=1', body: '{"jsonrpc":"2.0"}' });
  expect(received.headers.authorization).toBe('Bearer the-token');
  expect(received.headers['content-type']).toBe('application/json');
});

test("leaves Host as the client sent it, so the server's DNS rebinding check sees a foreign one", async () => {
  const foreign = JSON.parse((await send('/mcp', { headers: { host: 'evil.example.com', origin: 'http://evil.example.com' } })).body);
  const own = JSON.parse((await send('/mcp')).body);

  expect(foreign.headers.host).toBe('evil.example.com');
  expect(foreign.headers.origin).toBe('http://evil.example.com');
  expect(own.headers.host).toBe(new URL(proxy.url).host);
});

test('keeps an Authorization header the client sent itself', async () => {
  const received = JSON.parse((await send('/mcp', { headers: { authorization: 'Bearer the-clients-own' } })).body);

  expect(received.headers.authorization).toBe('Bearer the-clients-own');
});

test('streams an event stream as it comes, not when it ends', async () => {
  const { port } = new URL(proxy.url);
  const firstEventAfterMs = await new Promise<number>((resolve, reject) => {
    const startedAt = performance.now();
    http
      .get({ host: '127.0.0.1', port, path: '/stream' }, (response) => {
        response.once('data', () => resolve(performance.now() - startedAt));
        response.resume();
      })
      .on('error', reject);
  });

  expect(firstEventAfterMs).toBeLessThan(secondEventAfterMs / 2);
  expect((await send('/stream')).body).toBe('data: first\n\ndata: second\n\n');
});

test('answers 502, naming the server, when the server does not answer', async () => {
  await upstream.close();

  const answer = await send('/mcp');

  expect(answer.status).toBe(502);
  expect(answer.body).toBe(`token proxy: ${upstream.origin} did not answer (ECONNREFUSED)`);
});
