/**
 * The lab's one way to stop what it started: each part registers its stop as soon as it has
 * started, and `stopAll()` stops them in reverse order (the whoami server before the Keycloak it
 * talks to) on an error, a signal or the normal end. `lab up`, the bench and the tests' global
 * setup use it.
 *
 *   add(stop)              register how to stop something just started
 *   adopt(starting)        await a start, register the started thing's `stop()`, return it
 *   startInBackground(…)   a start left running while other parts start; stopping aborts it
 *   stopAll()              every stop, last registered first; once, however often it is called
 *   stopAllAfter(failure)  the same on an error path, then throws the failure
 *
 * Node 24's AsyncDisposableStack does much the same, but the lab also runs on Node 22.22.
 */
import { LabError } from './errors.ts';
import { t } from './messages.ts';

export type Stop = () => void | Promise<void>;

export interface Stoppable {
  stop(): Promise<void>;
}

export class StopList {
  readonly #stops: Stop[] = [];
  #stopping: Promise<void> | undefined;

  /** Registers how to stop something that has just started; it is stopped before anything registered earlier. */
  add(stop: Stop): void {
    // A part started after the stop would be left running: that is a bug in the caller.
    if (this.#stopping) throw new TypeError('StopList.add after stopAll: this list has already stopped');
    this.#stops.push(stop);
  }

  /** Waits for a start, registers the started thing's `stop()` at once and returns the thing. */
  async adopt<T extends Stoppable>(starting: Promise<T>): Promise<T> {
    const started = await starting;
    if (this.#stopping) {
      // Started while the rest was being stopped (parts started side by side): not left running.
      await started.stop();
      throw new LabError('ERR_INTERRUPTED', t('config.stop.started-too-late'));
    }
    this.add(() => started.stop());
    return started;
  }

  /**
   * Starts something that may take long (Keycloak) and leaves it starting while other parts start.
   * Its stop is registered before it starts: it aborts the start's `signal` and stops what the
   * start made, if it made anything. The caller awaits the returned promise later; a failure
   * before then is not an "unhandled rejection".
   */
  startInBackground<T extends Stoppable>(start: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const startAborted = new AbortController();
    let starting: Promise<T> | undefined;
    this.add(async () => {
      startAborted.abort();
      await (await starting?.catch(() => undefined))?.stop();
    });
    starting = start(startAborted.signal);
    starting.catch(() => {});
    return starting;
  }

  /**
   * Runs every stop, last registered first, each after the one before has finished. A stop that
   * fails does not keep the others from running: afterwards the failure is thrown (several as one
   * AggregateError). Calling it again, or while it runs, stops nothing twice: it returns the same
   * promise.
   */
  stopAll(): Promise<void> {
    this.#stopping ??= this.#runStops();
    return this.#stopping;
  }

  /**
   * Stops everything after `failure`, then throws `failure`: what went wrong first is what a user
   * needs to read. If a stop failed too, something may be left running, so both are thrown as one
   * AggregateError rather than the stop's failure being lost.
   */
  async stopAllAfter(failure: unknown): Promise<never> {
    try {
      await this.stopAll();
    } catch (stopFailure) {
      const stopFailures = stopFailure instanceof AggregateError ? stopFailure.errors : [stopFailure];
      throw new AggregateError(
        [failure, ...stopFailures],
        t('config.stop.failed-too', { failure: messageOf(failure), failures: stopFailures.map(messageOf).join('; ') }),
      );
    }
    throw failure;
  }

  async #runStops(): Promise<void> {
    const failures: unknown[] = [];
    for (const stop of this.#stops.toReversed()) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1)
      throw new AggregateError(
        failures,
        t('config.stop.some-failed', {
          failed: String(failures.length),
          total: String(this.#stops.length),
          failures: failures.map(messageOf).join('; '),
        }),
      );
  }
}

/**
 * Ctrl-C (SIGINT) and `lab down`'s SIGTERM as one stop request: `signal` aborts at the first of
 * them, and `onFirst` runs then. Listening replaces Node's default of exiting at once, so call it
 * before starting anything: a stop during start-up still stops what was started. Later signals
 * change nothing (a second Ctrl-C while stopping does not cut the stop short).
 */
export function stopRequestFromSignals(onFirst: () => void = () => {}): { signal: AbortSignal; stopListening(): void } {
  const stopRequested = new AbortController();
  const onSignal = () => {
    if (stopRequested.signal.aborted) return;
    onFirst();
    stopRequested.abort();
  };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  for (const name of signals) process.on(name, onSignal);
  return {
    signal: stopRequested.signal,
    stopListening: () => {
      for (const name of signals) process.off(name, onSignal);
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
