/**
 * HTTP load from autocannon in a child process (load-generator-process.ts): the bench asks for a
 * load and gets its numbers back. Every load is bounded in count and in time, and the child is
 * killed if it outlives its time by a minute.
 */
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { runCommand } from '../../core/process.ts';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Clients at once, each on its own keep-alive connection, one request after the other. */
  connections: number;
  durationMs: number;
  /** The count bound when `requestsPerConnection` is not given. */
  maxRequests: number;
  /** Each connection sends this many requests, then stops (a student calling whoami K times). */
  requestsPerConnection?: number;
  /** Text every 2xx answer must contain; an answer without it is an error. */
  expect?: string;
  /** One per connection: the headers that make it that client (a student's token) and the text its answers must contain. */
  clients?: Array<{ headers: Record<string, string>; expect: string }>;
}

export interface LoadResult {
  requests: number;
  /** Connection errors, timeouts, non-2xx answers and answers without the expected text. Any fails the run. */
  errors: number;
  errorKinds: { connection: number; timeout: number; non2xx: number; wrongAnswer: number };
  durationMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const loadGeneratorScript = path.join(repoRoot, 'lab', 'bench', 'load-generator-process.ts');

export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const { exitCode, stdout, stderr, timedOut } = await runCommand(process.execPath, [loadGeneratorScript], {
    input: JSON.stringify(spec),
    timeoutMs: spec.durationMs + 60_000,
  });
  if (exitCode !== 0 || timedOut) {
    const reason = timedOut ? 'did not finish in time' : (stderr.trim().split('\n').at(-1) ?? `exit code ${exitCode}`);
    throw new LabError('ERR_BENCH', `The load generator (autocannon) against ${spec.url} failed: ${reason}`);
  }
  return JSON.parse(stdout) as LoadResult;
}

/** "1 timeout, 3 non-2xx": what the errors were, for the failure message. */
export function describeErrors({ errorKinds }: LoadResult): string {
  return Object.entries(errorKinds)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
}
