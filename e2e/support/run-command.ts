import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { runNode, type CommandResult } from '../../core/process.ts';
import { testLabConfig } from '../test-target.ts';

export type { CommandResult };

/**
 * Runs `node lab/cli.ts ...args` the way a user does, with the test lab's settings (its ports,
 * its Keycloak) and extra environment variables on top.
 */
export function runLab(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CommandResult> {
  return runNode(path.join(repoRoot, 'lab', 'cli.ts'), args, { cwd: repoRoot, env: { ...testLabConfig().settings, ...env }, timeoutMs });
}

/** An expected failure: one line on stderr, no stack trace. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.trim().split('\n');
  return lines.length === 1 && lines[0]!.startsWith('error: ') && !/\n\s+at /.test(stderr);
}
