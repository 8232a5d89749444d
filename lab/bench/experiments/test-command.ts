import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../core/config.ts';
import { LabError } from '../../../core/errors.ts';
import { runCommand } from '../../../core/process.ts';
import { formatSeconds } from '../../progress.ts';
import type { BenchExperiment } from '../experiment.ts';

/** The README's test command, once, from start to end. */
export const testCommand: BenchExperiment = {
  name: 'test-command',
  measuring: 'the wall time of `npm test`',
  skippedBecause: (options) => (options.skipTests ? '--skip-tests' : undefined),
  async run({ config }) {
    const testMs = await timeCommandMs('npm', ['test'], path.join(os.tmpdir(), 'lab-bench-npm-test.log'));
    return {
      section: {
        heading: 'The test command',
        columns: ['command', 'wall time', 'target'],
        rows: [[`\`npm test\` (Keycloak ${config.keycloak.version}, distribution already downloaded)`, formatSeconds(testMs), '≤ 180 s']],
      },
      summary: [`npm test: ${formatSeconds(testMs)}`],
    };
  },
};

/** Runs a command to its end (output to a log) and returns its wall time; a failure is an error. */
async function timeCommandMs(command: string, args: string[], logPath: string): Promise<number> {
  const startedAt = performance.now();
  const { exitCode, stdout, stderr } = await runCommand(command, args, { cwd: repoRoot });
  writeFileSync(logPath, stdout + stderr);
  if (exitCode !== 0)
    throw new LabError('ERR_BENCH', `\`${command} ${args.join(' ')}\` failed with exit code ${exitCode}`, { hint: `see ${logPath}` });
  return performance.now() - startedAt;
}
