/**
 * The lab's one way to run a process; no other file calls `spawn` or `execFile`.
 *
 *   runCommand     a command to its end, its output captured (never throws for a non-zero exit)
 *   startService   a long-running process in its own process group, its output in a log file,
 *                  waited for until ready; `stop()` ends the whole group (kc.sh and its JVM)
 *   startDetached  the same, left running after this process exits (`lab up --detach`)
 *   startWatched   a process whose output is read while it runs (a test driving `lab up`)
 *
 * Why not execa: it writes a `{ file }` target through a stream in the parent and refuses raw
 * descriptors, so a process whose log must outlive its starter cannot be started with it; and it
 * signals one PID, where kc.sh forks a JVM that must be stopped with it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from './errors.ts';
import { t } from './messages.ts';
import { poll, WaitAbortedError, waitForHttpOk, WaitTimeoutError, type Attempt } from './wait.ts';

export interface CommandResult {
  /** undefined when the command was killed (timeout) or could not start. */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CommandOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
  input?: string;
  signal?: AbortSignal;
  /** Called with each piece of standard output as it arrives (a download's progress). */
  onStdout?: (chunk: string) => void;
  /** Run as this user and group (root starting PostgreSQL, which refuses to run as root). */
  uid?: number;
  gid?: number;
}

export function runCommand(
  file: string,
  args: readonly string[],
  { cwd, env, timeoutMs, input, signal, onStdout, uid, gid }: CommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      signal,
      uid,
      gid,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(chunk);
    });
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    if (input !== undefined) child.stdin!.end(input);
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: undefined, stdout, stderr: stderr || error.message, timedOut });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? undefined, stdout, stderr, timedOut });
    });
  });
}

/** The same, synchronously, for quick probes (`java -version`). */
export function runCommandSync(
  file: string,
  args: readonly string[],
  { cwd, env, timeoutMs = 10_000 }: Omit<CommandOptions, 'input' | 'signal' | 'onStdout' | 'uid' | 'gid'> = {},
): CommandResult {
  const result = spawnSync(file, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs });
  return {
    exitCode: result.error ? undefined : (result.status ?? undefined),
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    timedOut: result.error?.name === 'Error' && /ETIMEDOUT/.test(String(result.error)),
  };
}

/** `node script args…` with this Node, as a user would run it. */
export function runNode(script: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return runCommand(process.execPath, [script, ...args], options);
}

export interface ServiceOptions {
  /** Names it in messages: "The whoami server (tutorial mode, http://localhost:3001)". */
  description: string;
  file: string;
  args: readonly string[];
  /** Added to this process's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  logPath: string;
  /** A URL that answers 2xx once the service is ready, or an attempt that says so. */
  ready: string | Attempt<unknown>;
  readyTimeoutMs: number;
  /** SIGTERM, then SIGKILL after this long. */
  stopGraceMs?: number;
  /** Sent to stop it instead of SIGTERM (PostgreSQL: SIGINT is its "fast" shutdown, SIGTERM waits for clients). */
  stopSignal?: NodeJS.Signals;
  /** Run as this user and group (root starting PostgreSQL, which refuses to run as root). */
  uid?: number;
  gid?: number;
  /** Aborting it stops the service while it starts: the start fails with ERR_INTERRUPTED. */
  signal?: AbortSignal;
}

export interface StartedService {
  readonly pid: number;
  readonly logPath: string;
  isRunning(): boolean;
  /** SIGTERM (or its stopSignal) to its process group, SIGKILL after the grace period; resolves once it is gone. */
  stop(): Promise<void>;
}

/** Starts a service and waits until it is ready; one that exits or never gets ready is stopped. */
export async function startService(options: ServiceOptions): Promise<StartedService> {
  const { description, logPath, ready, readyTimeoutMs, signal } = options;
  const service = launch(options, false);
  const isAlive = () => service.isRunning();
  try {
    if (typeof ready === 'string') await waitForHttpOk(ready, { timeoutMs: readyTimeoutMs, intervalMs: 200, isAlive, signal });
    else await poll(ready, { timeoutMs: readyTimeoutMs, intervalMs: 200, isAlive, signal });
  } catch (error) {
    await service.stop();
    if (signal?.aborted) throw new LabError('ERR_INTERRUPTED', t('config.service.interrupted', { description: lowerFirst(description) }));
    const hint = t('config.see-log', { path: logPath });
    if (error instanceof WaitAbortedError && error.reason === 'exited') {
      throw new LabError(
        'ERR_PROCESS_EXITED',
        t('config.service.exited', { description, code: String(service.exitCode()), line: lastLogLine(logPath) }),
        { hint, cause: error },
      );
    }
    const line =
      error instanceof WaitTimeoutError
        ? t('config.service.not-ready', {
            description,
            seconds: String(Math.round(readyTimeoutMs / 1000)),
            last: error.lastObserved,
          })
        : t('config.service.failed', { description, reason: error instanceof Error ? error.message : String(error) });
    throw new LabError('ERR_PROCESS_NOT_READY', line, { hint, cause: error });
  }
  return service;
}

/** Starts a process that keeps running after this one exits; its output goes straight to `logPath`. */
export function startDetached(options: Pick<ServiceOptions, 'file' | 'args' | 'env' | 'cwd' | 'logPath'>): StartedService {
  return launch({ ...options, stopGraceMs: 5_000 }, true);
}

function launch(
  options: Pick<ServiceOptions, 'file' | 'args' | 'env' | 'cwd' | 'logPath' | 'stopGraceMs' | 'stopSignal' | 'uid' | 'gid'>,
  outliveUs: boolean,
) {
  const { file, args, env, cwd, logPath, stopGraceMs = 5_000, stopSignal = 'SIGTERM', uid, gid } = options;
  mkdirSync(path.dirname(logPath), { recursive: true });
  // The log gets the descriptor itself, so output keeps flowing if this process goes away first.
  const log = openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    // Its own process group (detached), so stopping it reaches what it started (kc.sh's JVM).
    child = spawn(file, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', log, log], uid, gid });
  } finally {
    closeSync(log);
  }
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : undefined);
      resolve();
    });
    child.once('error', () => {
      exitCode = null;
      resolve();
    });
  });
  if (outliveUs) child.unref();
  const isRunning = () => exitCode === undefined;
  const stop = async () => {
    if (child.pid === undefined) return;
    if (isRunning()) {
      signalGroup(child.pid, stopSignal);
      const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), stopGraceMs);
      await exited;
      clearTimeout(timer);
    }
    // kc.sh may exit before the JVM it started; make sure nothing of the group is left.
    signalGroup(child.pid, 'SIGKILL');
  };
  return { pid: child.pid ?? -1, logPath, isRunning, stop, exitCode: () => exitCode };
}

export interface WatchedProcess {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr as they arrived. */
  output(): string;
  signal(signal: NodeJS.Signals): void;
  /** Its exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** SIGKILL to its process group, whatever state it is in. */
  kill(): void;
}

/** Starts a process in its own group and collects its output as it comes, for a caller that watches it. */
export function startWatched(
  file: string,
  args: readonly string[],
  { cwd, env }: Pick<CommandOptions, 'cwd' | 'env'> = {},
): WatchedProcess {
  const child = spawn(file, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return {
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
    kill: () => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    },
  };
}

/** SIGTERM to a process another process started (a lab in the background); true once it is gone. */
export async function stopProcess(pid: number, { graceMs }: { graceMs: number }): Promise<boolean> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return true;
  }
  try {
    await poll(async () => (isProcessAlive(pid) ? { pending: `pid ${pid} still running` } : true), { timeoutMs: graceMs, intervalMs: 250 });
    return true;
  } catch {
    return false;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** The last line of a log that looks like an error, else its last line. */
export function lastLogLine(logPath: string): string {
  try {
    const lines = readFileSync(logPath, 'utf8').trim().split('\n');
    return lines.findLast((line) => /ERROR|Exception|error:/i.test(line))?.trim() ?? lines.at(-1)?.trim() ?? t('config.log.empty');
  } catch {
    return t('config.log.missing');
  }
}

function lowerFirst(text: string): string {
  return text.replace(/^The /, 'the ');
}
