/**
 * The lab's one polling loop. `poll` calls `attempt` until it returns a value, the deadline
 * passes, `isAlive` says the process behind it has died, or `signal` is aborted; each failure is
 * a plain Error the caller turns into its own domain error (it knows what was being waited for).
 */
import { t } from './messages.ts';

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** False once the process being waited for has exited: stop waiting at once. */
  isAlive?: () => boolean;
  signal?: AbortSignal;
}

/** `attempt` returns the awaited value, or `{ pending: what was observed }` to try again. */
export type Attempt<T> = () => Promise<T | { pending: string }>;

export async function poll<T>(attempt: Attempt<T>, { timeoutMs, intervalMs = 500, isAlive = () => true, signal }: PollOptions): Promise<T> {
  const startedAt = Date.now();
  let lastObserved = t('config.wait.nothing-yet');
  for (;;) {
    if (signal?.aborted) throw new WaitAbortedError(t('config.wait.interrupted'), 'interrupted');
    if (!isAlive()) throw new WaitAbortedError(t('config.wait.exited', { last: lastObserved }), 'exited');
    try {
      const result = await attempt();
      if (!isPending(result)) return result;
      lastObserved = result.pending;
    } catch (error) {
      lastObserved = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() - startedAt >= timeoutMs) {
      throw new WaitTimeoutError(
        t('config.wait.timeout', { seconds: String(Math.round(timeoutMs / 1000)), last: lastObserved }),
        lastObserved,
      );
    }
    await sleep(intervalMs, signal);
  }
}

/** Polls `url` until it answers 2xx; returns the elapsed milliseconds. */
export async function waitForHttpOk(url: string, options: PollOptions): Promise<number> {
  const startedAt = Date.now();
  await poll(async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(Math.min(5_000, Math.max(options.timeoutMs, 1))) });
    await response.body?.cancel();
    return response.ok ? true : { pending: `HTTP ${response.status}` };
  }, options);
  return Date.now() - startedAt;
}

function isPending(value: unknown): value is { pending: string } {
  return typeof value === 'object' && value !== null && 'pending' in value;
}

function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
  /** What the last attempt saw, e.g. "HTTP 503" or "fetch failed". */
  readonly lastObserved: string;
  constructor(message: string, lastObserved: string) {
    super(message);
    this.lastObserved = lastObserved;
  }
}

export class WaitAbortedError extends Error {
  override name = 'WaitAbortedError';
  readonly reason: 'exited' | 'interrupted';
  constructor(message: string, reason: 'exited' | 'interrupted') {
    super(message);
    this.reason = reason;
  }
}
