/**
 * A machine of a room without internet: a network namespace with loopback only — no link, no
 * route, no name server it can reach. Programs run inside with `ip netns exec`. Needs root (CI has
 * it); when the namespace cannot be made, creating it throws with the reason.
 */
import { randomBytes } from 'node:crypto';
import { runCommand, type CommandOptions, type CommandResult } from '../../core/process.ts';

export interface OfflineRoom {
  readonly namespace: string;
  run(file: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  remove(): Promise<void>;
}

export async function createOfflineRoom(): Promise<OfflineRoom> {
  const namespace = `mcplab-offline-${process.pid}-${randomBytes(3).toString('hex')}`;
  const remove = async () => {
    await runCommand('ip', ['netns', 'delete', namespace]);
  };
  for (const args of [
    ['netns', 'add', namespace],
    ['-n', namespace, 'link', 'set', 'lo', 'up'],
  ]) {
    const result = await runCommand('ip', args);
    if (result.exitCode !== 0) {
      await remove();
      throw new Error(`cannot make a network namespace with loopback only (ip ${args.join(' ')}): ${result.stderr.trim()}`);
    }
  }
  return {
    namespace,
    run: (file, args, options) => runCommand('ip', ['netns', 'exec', namespace, file, ...args], options),
    remove,
  };
}
