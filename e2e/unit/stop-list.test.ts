import { StopList, stopRequestFromSignals } from '../../core/stop-list.ts';
import { expect, test } from '@playwright/test';

/** A part that records its stop in `stopped`, and can be told to fail it. */
function part(name: string, stopped: string[], { failsToStop = false } = {}) {
  return {
    name,
    stop: async () => {
      stopped.push(name);
      if (failsToStop) throw new Error(`${name} would not stop`);
    },
  };
}

test('stops in reverse order: the last part started is the first stopped', async () => {
  const stopped: string[] = [];
  const stops = new StopList();
  await stops.adopt(Promise.resolve(part('keycloak', stopped)));
  await stops.adopt(Promise.resolve(part('whoami server', stopped)));
  stops.add(() => {
    stopped.push('inspector');
  });

  await stops.stopAll();

  expect(stopped).toEqual(['inspector', 'whoami server', 'keycloak']);
});

test('adopt returns the started part', async () => {
  const stops = new StopList();
  const keycloak = part('keycloak', []);

  expect(await stops.adopt(Promise.resolve(keycloak))).toBe(keycloak);
});

test('a stop that fails does not keep the others from running, and its failure surfaces', async () => {
  const stopped: string[] = [];
  const stops = new StopList();
  await stops.adopt(Promise.resolve(part('keycloak', stopped)));
  await stops.adopt(Promise.resolve(part('whoami server', stopped, { failsToStop: true })));
  await stops.adopt(Promise.resolve(part('inspector', stopped)));

  await expect(stops.stopAll()).rejects.toThrow('whoami server would not stop');
  expect(stopped).toEqual(['inspector', 'whoami server', 'keycloak']);
});

test('several failed stops surface together', async () => {
  const stops = new StopList();
  stops.add(() => {
    throw new Error('keycloak would not stop');
  });
  stops.add(() => {
    throw new Error('whoami server would not stop');
  });

  const failure = await stops.stopAll().catch((error: unknown) => error);

  expect(failure).toBeInstanceOf(AggregateError);
  expect((failure as AggregateError).errors.map((error: Error) => error.message)).toEqual([
    'whoami server would not stop',
    'keycloak would not stop',
  ]);
});

test('stopping twice, or while stopping, stops each part once', async () => {
  const stopped: string[] = [];
  const stops = new StopList();
  await stops.adopt(Promise.resolve(part('keycloak', stopped)));

  await Promise.all([stops.stopAll(), stops.stopAll()]);
  await stops.stopAll();

  expect(stopped).toEqual(['keycloak']);
});

test('after a failure, everything is stopped and the failure is what is thrown', async () => {
  const stopped: string[] = [];
  const stops = new StopList();
  await stops.adopt(Promise.resolve(part('keycloak', stopped)));
  const failure = new Error('the whoami server exited before it was ready');

  await expect(stops.stopAllAfter(failure)).rejects.toBe(failure);
  expect(stopped).toEqual(['keycloak']);
});

test('after a failure, a stop that fails too is not lost', async () => {
  const stops = new StopList();
  await stops.adopt(Promise.resolve(part('keycloak', [], { failsToStop: true })));

  const thrown = await stops.stopAllAfter(new Error('provisioning failed')).catch((error: unknown) => error);

  expect(thrown).toBeInstanceOf(AggregateError);
  expect((thrown as Error).message).toBe('provisioning failed; stopping what was started failed too: keycloak would not stop');
});

test('a start in the background is aborted when stopped before it is done, and stopped when done', async () => {
  const stopped: string[] = [];
  const stops = new StopList();
  let startSignal: AbortSignal | undefined;
  const slowStart = stops.startInBackground((signal) => {
    startSignal = signal;
    return new Promise<ReturnType<typeof part>>((_, reject) => signal.addEventListener('abort', () => reject(new Error('start aborted'))));
  });
  const quickStart = stops.startInBackground(async () => part('progress page', stopped));
  await quickStart;

  await stops.stopAll();

  expect(startSignal?.aborted).toBe(true);
  await expect(slowStart).rejects.toThrow('start aborted');
  expect(stopped).toEqual(['progress page']);
});

test('nothing can be added once stopped, and a part that finishes starting then is stopped at once', async () => {
  const stopped: string[] = [];
  const stops = new StopList();
  let finishStart: (started: ReturnType<typeof part>) => void = () => {};
  const late = stops.adopt(
    new Promise<ReturnType<typeof part>>((resolve) => {
      finishStart = resolve;
    }),
  );
  await stops.stopAll();

  finishStart(part('whoami server', stopped));

  await expect(late).rejects.toThrow('after the others were stopped');
  expect(stopped).toEqual(['whoami server']);
  expect(() => stops.add(() => {})).toThrow(TypeError);
});

test('the first Ctrl-C or SIGTERM requests the stop; the next ones change nothing', () => {
  // Playwright's worker ignores both signals itself, so emitting them here only reaches these listeners.
  let requests = 0;
  const stopRequest = stopRequestFromSignals(() => {
    requests++;
  });
  try {
    expect(stopRequest.signal.aborted).toBe(false);

    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');

    expect(stopRequest.signal.aborted).toBe(true);
    expect(requests).toBe(1);
  } finally {
    stopRequest.stopListening();
  }
});
