/**
 * `npm run lint`'s Python half: ruff (pinned) on the Python whoami server — `ruff check` and
 * `ruff format --check`, or with `--fix` both applied. Ruff comes from PyPI into a venv in the
 * lab's cache the first time, so nobody needs it installed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, repoRoot } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { runCommand } from '../core/process.ts';
import { runMain } from '../lab/main.ts';

const ruffVersion = '0.17.6';
const pythonServer = path.join(repoRoot, 'server', 'python');

await runMain(async () => {
  const fix = process.argv.includes('--fix');
  const ruff = await ensureRuff(path.join(loadConfig(process.env).cacheDir, `ruff-${ruffVersion}`));
  let failed = false;
  for (const args of fix ? [['check', '--fix'], ['format']] : [['check'], ['format', '--check']]) {
    const run = await runCommand(ruff, [...args, '.'], { cwd: pythonServer, timeoutMs: 60_000 });
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    failed ||= run.exitCode !== 0;
  }
  return failed ? 1 : 0;
});

async function ensureRuff(venv: string): Promise<string> {
  const ruff = path.join(venv, 'bin', 'ruff');
  if (existsSync(ruff)) return ruff;
  for (const [file, args] of [
    ['python3', ['-m', 'venv', venv]],
    [path.join(venv, 'bin', 'pip'), ['install', '--quiet', `ruff==${ruffVersion}`]],
  ] as const) {
    const run = await runCommand(file, args, { timeoutMs: 300_000 });
    if (run.exitCode !== 0)
      throw new LabError('ERR_INSTALL', `${path.basename(file)} ${args.join(' ')} failed: ${run.stderr.trim().split('\n').at(-1)}`);
  }
  return ruff;
}
