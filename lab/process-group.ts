import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child started with `detached: true` (its own process group): SIGTERM to the group,
 * SIGKILL after `graceMs`. Signalling the group reaches what the child started too (kc.sh's JVM).
 */
export async function stopProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // kc.sh may exit before the JVM it started; make sure nothing of the group is left.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
