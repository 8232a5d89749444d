export interface LoadResult {
  requests: number;
  errors: number;
  durationMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/**
 * `concurrency` workers call `request` back to back until `durationMs` has passed or
 * `maxRequests` were sent, whichever comes first: every loop is bounded in count and in time.
 */
export async function runLoad({
  concurrency,
  durationMs,
  maxRequests,
  request,
}: {
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  request: () => Promise<boolean>;
}): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let sent = 0;
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && sent < maxRequests) {
      sent++;
      const requestStartedAt = performance.now();
      let ok = false;
      try {
        ok = await request();
      } catch {
        ok = false;
      }
      latenciesMs.push(performance.now() - requestStartedAt);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - startedAt;
  return {
    requests: latenciesMs.length,
    errors,
    durationMs: elapsedMs,
    requestsPerSecond: (latenciesMs.length / elapsedMs) * 1000,
    ...percentiles(latenciesMs),
  };
}

export function percentiles(samplesMs: number[]): { p50Ms: number; p95Ms: number; p99Ms: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
  return { p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99) };
}
