/**
 * One line per step with the time it took: "Keycloak 26.2.4 ready at … (23.4 s)". On a terminal
 * the step's name shows while it runs; in a log only the finished line appears.
 */
export async function step<T>(
  running: string,
  work: () => Promise<T>,
  done: (result: T) => string,
  /** When the work really began, if before this call (work started in the background). */
  startedAt = performance.now(),
): Promise<T> {
  const interactive = process.stdout.isTTY === true;
  if (interactive) process.stdout.write(`… ${running}`);
  try {
    const result = await work();
    const line = `✓ ${done(result)} (${formatSeconds(performance.now() - startedAt)})`;
    if (interactive) process.stdout.write(`\r\x1b[K${line}\n`);
    else console.log(line);
    return result;
  } catch (error) {
    if (interactive) process.stdout.write(`\r\x1b[K✗ ${running}\n`);
    else console.log(`✗ ${running}`);
    throw error;
  }
}

export function formatSeconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
