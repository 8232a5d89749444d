/**
 * Polls `url` until it answers 2xx, the deadline passes, or `isAlive` says the process behind it
 * has died. Returns the elapsed milliseconds; throws a plain Error the caller turns into its own
 * domain error (it knows what was being waited for).
 */
export async function waitForHttpOk(
  url: string,
  { timeoutMs, intervalMs = 500, isAlive = () => true }: { timeoutMs: number; intervalMs?: number; isAlive?: () => boolean },
): Promise<number> {
  const startedAt = Date.now();
  let lastObserved = 'no answer';
  while (Date.now() - startedAt < timeoutMs) {
    if (!isAlive()) throw new WaitAbortedError(`the process exited while waiting for ${url}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.min(5_000, timeoutMs)) });
      if (response.ok) return Date.now() - startedAt;
      lastObserved = `HTTP ${response.status}`;
    } catch (error) {
      lastObserved = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new WaitTimeoutError(`${url} not ready after ${Math.round(timeoutMs / 1000)} s (last: ${lastObserved})`);
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

export class WaitAbortedError extends Error {
  override name = 'WaitAbortedError';
}
