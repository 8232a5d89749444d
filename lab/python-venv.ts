/**
 * The Python whoami server's virtual environment, made by the lab itself: `python3 -m venv`, then
 * `pip install --require-hashes --no-deps -r server/python/requirements.lock`, under the lab's cache
 * folder and named after a hash of the lock file and the interpreter, so it is made once and reused
 * until either changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import { runCommand } from '../core/process.ts';
import { prefetchedPythonWheels } from './prefetch-layout.ts';

/** The folder of the Python server (whoami.py), and its lock file. */
export const pythonServerDir = path.join(repoRoot, 'server', 'python');
export const pythonLockFile = path.join(pythonServerDir, 'requirements.lock');

const minimumPython = [3, 10] as const;
const installTimeoutMs = 600_000;
/** Written last: a folder without it is a venv whose installation did not finish. */
const completeMarker = '.lab-complete';

export interface PythonVenv {
  /** The venv's interpreter: run the server with `<python> -m uvicorn …`. */
  python: string;
  dir: string;
  /** "3.11.7" */
  pythonVersion: string;
  /** False when an existing venv was reused. */
  created: boolean;
}

export interface Interpreter {
  version: string;
  executable: string;
  hasEnsurepip: boolean;
}

/**
 * Finds python3, checks that it can make a venv, and returns the venv for the current lock file,
 * making it when it does not exist yet. pip's output goes to `logPath`.
 */
export async function ensurePythonVenv(
  cacheDir: string,
  { logPath, interpreter = 'python3', prefetchDir }: { logPath: string; interpreter?: string; prefetchDir?: string },
): Promise<PythonVenv> {
  const found = await inspectInterpreter(interpreter);
  const lock = readFileSync(pythonLockFile);
  const key = createHash('sha256').update(lock).update(`\0${found.executable}\0${found.version}`).digest('hex').slice(0, 16);
  const dir = path.join(cacheDir, `python-venv-${key}`);
  const python = path.join(dir, 'bin', 'python');
  const venv = { python, dir, pythonVersion: found.version };
  if (existsSync(path.join(dir, completeMarker))) return { ...venv, created: false };

  // Made beside its final place and renamed when complete, so that two labs starting at once
  // never use a half-made venv; the one that loses the race uses the winner's.
  mkdirSync(cacheDir, { recursive: true });
  const staging = `${dir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const log: string[] = [];
  try {
    await runLogged(log, logPath, interpreter, ['-m', 'venv', staging], 'python3 -m venv');
    // From a prefetched folder: its wheels only, no index (a classroom without internet).
    const fromPrefetched = prefetchDir ? ['--no-index', '--find-links', prefetchedPythonWheels(prefetchDir)] : [];
    await runLogged(
      log,
      logPath,
      path.join(staging, 'bin', 'python'),
      ['-m', 'pip', 'install', '--require-hashes', '--no-deps', '--no-input', ...fromPrefetched, '-r', pythonLockFile],
      prefetchDir
        ? t('up.python.pip-install-from', { dir: prefetchedPythonWheels(prefetchDir) })
        : 'pip install -r server/python/requirements.lock',
    );
    writeFileSync(path.join(staging, completeMarker), `${new Date().toISOString()}\n`);
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(path.join(dir, completeMarker))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(path.dirname(logPath), { recursive: true });
    writeFileSync(logPath, log.join('\n'));
  }
  return { ...venv, created: true };
}

/**
 * Runs an installation step, its output appended to `log`; a failure is one line naming the step
 * and pip's (or venv's) last error line.
 */
export async function runLogged(
  log: string[],
  logPath: string,
  file: string,
  args: readonly string[],
  what: string,
  { cwd, env }: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  log.push(`$ ${[file, ...args].join(' ')}`);
  const result = await runCommand(file, args, { cwd, timeoutMs: installTimeoutMs, env: { PIP_DISABLE_PIP_VERSION_CHECK: '1', ...env } });
  log.push(result.stdout, result.stderr);
  if (result.exitCode === 0) return result.stdout;
  const lastError = result.stderr
    .trim()
    .split('\n')
    .findLast((line) => /error/i.test(line))
    ?.trim();
  const failure = t('up.install.failed', {
    what,
    reason: result.timedOut ? 'timeout' : 'exited',
    seconds: String(installTimeoutMs / 1000),
    code: String(result.exitCode),
    detail: lastError || 'none',
  });
  throw new LabError('ERR_INSTALL', failure, { hint: t('up.hint.see-log', { path: logPath }) });
}

/** The interpreter's version and whether it can make a venv with pip in it; one clear line when not. */
export async function inspectInterpreter(interpreter = 'python3'): Promise<Interpreter> {
  const minimum = minimumPython.join('.');
  const probe = await runCommand(
    interpreter,
    [
      '-c',
      [
        'import importlib.util, json, sys',
        'print(json.dumps({"version": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable,',
        '  "hasEnsurepip": importlib.util.find_spec("ensurepip") is not None and importlib.util.find_spec("venv") is not None}))',
      ].join('\n'),
    ],
    { timeoutMs: 30_000 },
  );
  if (probe.exitCode === undefined) {
    throw new LabError('ERR_NO_PYTHON', t('up.python.not-found', { interpreter, minimum }), { hint: t('up.python.not-found.hint') });
  }
  let found: Interpreter;
  try {
    found = JSON.parse(probe.stdout) as Interpreter;
  } catch {
    throw new LabError(
      'ERR_NO_PYTHON',
      t('up.python.did-not-run', {
        interpreter,
        code: String(probe.exitCode),
        detail: probe.stderr.trim().split('\n').at(-1) ?? '',
      }),
      { hint: t('up.python.did-not-run.hint', { minimum }) },
    );
  }
  const [major = 0, minor = 0] = found.version.split('.').map(Number);
  if (major < minimumPython[0] || (major === minimumPython[0] && minor < minimumPython[1])) {
    throw new LabError('ERR_NO_PYTHON', t('up.python.too-old', { interpreter, version: found.version, minimum }), {
      hint: t('up.python.too-old.hint'),
    });
  }
  if (!found.hasEnsurepip) {
    throw new LabError('ERR_NO_PYTHON', t('up.python.no-venv', { interpreter, version: found.version }), {
      hint: t('up.python.no-venv.hint', { major: String(major), minor: String(minor) }),
    });
  }
  return found;
}
