/**
 * The load generator's own process: autocannon, driven by the LoadSpec it reads on standard input,
 * writing one LoadResult as JSON on standard output. A process of its own, so that generating the
 * load never shares an event loop with what it measures (or with the bench that started it).
 * Run by load-generator.ts; the spec comes on stdin so that tokens never appear in `ps`.
 */
import { text } from 'node:stream/consumers';
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load-generator.ts';

interface ClientContext {
  /** Which of `spec.clients` this connection is: a student's own token and name. */
  clientIndex?: number;
}

const spec = JSON.parse(await text(process.stdin)) as LoadSpec;
const { pathname, search } = new URL(spec.url);
let nextClient = 0;
let wrongAnswers = 0;

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationMs / 1000,
  // Every load is bounded in count as well as in time: whichever comes first ends it.
  ...(spec.requestsPerConnection ? { maxConnectionRequests: spec.requestsPerConnection } : { maxOverallRequests: spec.maxRequests }),
  timeout: 30,
  requests: [
    {
      method: spec.method,
      path: pathname + search,
      headers: spec.headers,
      body: spec.body,
      // With `clients`, each connection is one of them (a student) for the whole run.
      setupRequest: (request: autocannon.Request, context: ClientContext) => {
        if (!spec.clients) return request;
        context.clientIndex ??= nextClient++ % spec.clients.length;
        return { ...request, headers: { ...request.headers, ...spec.clients[context.clientIndex]!.headers } };
      },
      onResponse: (status: number, body: string, context: ClientContext) => {
        const expected = spec.clients ? spec.clients[context.clientIndex ?? 0]!.expect : spec.expect;
        if (status < 300 && expected !== undefined && !body.includes(expected)) wrongAnswers++;
      },
    },
  ],
});

const completed = result.requests.total;
const loadResult: LoadResult = {
  requests: completed,
  errors: result.errors + result.non2xx + wrongAnswers,
  errorKinds: { connection: result.errors - result.timeouts, timeout: result.timeouts, non2xx: result.non2xx, wrongAnswer: wrongAnswers },
  durationMs: result.duration * 1000,
  requestsPerSecond: completed / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
};
process.stdout.write(`${JSON.stringify(loadResult)}\n`);
