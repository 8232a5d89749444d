import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { runCommand, runNode, type CommandResult } from '../../core/process.ts';
import { testLabConfig } from '../test-target.ts';

export type { CommandResult };

/**
 * Runs `node lab/cli.ts ...args` the way a user does, with the test lab's settings (its ports,
 * its Keycloak) and extra environment variables on top.
 */
export function runLab(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CommandResult> {
  return runNode(path.join(repoRoot, 'lab', 'cli.ts'), args, { cwd: repoRoot, env: { ...testLabConfig().settings, ...env }, timeoutMs });
}

/**
 * A command line a lab command printed for the learner, run as they paste it into a terminal
 * (`sh -c`), with the test lab's settings in the environment as `runLab` has them.
 */
export function runPrinted(commandLine: string, timeoutMs = 120_000): Promise<CommandResult> {
  return runCommand('sh', ['-c', commandLine], { env: testLabConfig().settings, timeoutMs });
}

/** What `npm run lab -- …` printed, without npm's own "> script" lines and blank lines. */
export function labOutputLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('> '));
}

/** An expected failure: one line on stderr, no stack trace. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.trim().split('\n');
  return lines.length === 1 && lines[0]!.startsWith('error: ') && !/\n\s+at /.test(stderr);
}
