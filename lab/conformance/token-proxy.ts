/**
 * A reverse proxy on 127.0.0.1 (a port the system picks) that adds `Authorization: Bearer <token>`
 * to every request and passes it on to the whoami server. The conformance suite's `server`
 * command has no way to send a token, and the lab's servers answer every request without one with
 * 401 — so without the proxy every scenario fails on authentication, not on what it tests.
 *
 * `Host` passes through as the suite sent it: the servers' DNS rebinding protection must see the
 * suite's foreign Host (dns-rebinding-protection sends one and expects a refusal). Their check
 * compares host names, not ports, so the proxy's own `127.0.0.1:<port>` is let through.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenProxyOptions {
  /** The server's origin, e.g. http://localhost:3001. */
  target: string;
  token: string;
}

export interface StartedTokenProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:41234: the server's paths below it. */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startTokenProxy({ target, token }: TokenProxyOptions): Promise<StartedTokenProxy> {
  const upstream = new URL(target);
  const server = http.createServer((request, response) => forward(request, response, upstream, token));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        // Open SSE streams would keep close() waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request: its headers plus the token, to the server; the answer streamed back as it comes (SSE). */
function forward(request: http.IncomingMessage, response: http.ServerResponse, upstream: URL, token: string): void {
  const headers = { ...request.headers, authorization: request.headers.authorization ?? `Bearer ${token}` };
  const outgoing = http.request(
    { hostname: upstream.hostname.replace(/^\[(.*)\]$/, '$1'), port: upstream.port, method: request.method, path: request.url, headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  outgoing.on('error', (error) => {
    if (response.headersSent || response.destroyed) return void response.destroy();
    response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(`token proxy: ${upstream.origin} did not answer (${(error as NodeJS.ErrnoException).code ?? error.message})`);
  });
  // The suite gave up on a stream (a scenario ended): end the server's side too.
  response.on('close', () => outgoing.destroy());
  request.pipe(outgoing);
}
