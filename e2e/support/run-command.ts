import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../lab/config.ts';

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node lab/cli.ts ...args` the way a user does, with extra environment variables. */
export function runLab(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'lab', 'cli.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`lab ${args.join(' ')} did not finish within ${timeoutMs / 1000} s; output so far:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** An expected failure: one line on stderr, no stack trace. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.trim().split('\n');
  return lines.length === 1 && lines[0]!.startsWith('error: ') && !/\n\s+at /.test(stderr);
}
