/**
 * Logto built from its source tarball (logto-source.ts), once, into the lab's cache: pnpm install
 * with two overrides, the fifteen packages `node packages/core` needs, then `pnpm deploy` of core,
 * which leaves a self-contained runtime (~374 MB) and lets the 1.4 GB of sources and packages go.
 *
 *   <cacheDir>/logto-<key>/                  the deployed runtime; its lab-build.json says it is complete
 *   <cacheDir>/logto-<key>.staging-<pid>/    a build under way: src/, store/, runtime/ (never used)
 *   <cacheDir>/pnpm-10.34.9/                 pnpm itself, installed with npm (kept out of the lab's dependencies)
 *
 * The key is the tarball's sha256 (12 hex) and a hash of the recipe (8 hex): another tarball, other
 * overrides, another pnpm, another package list or another Node major is another build. Like
 * python-venv.ts, the build happens beside its final place and is renamed into it when complete,
 * so a failed or interrupted build is never used, and two labs building at once both succeed.
 * Measured here (2 cores): install 19 s, build 138 s (the Console 71 s), deploy 27 s.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { inLocale, type MessageKey, type MessageValues, t } from '../../core/messages.ts';
import { isProcessAlive, runCommand } from '../../core/process.ts';
import { formatSeconds } from '../progress.ts';
import { findLogtoTarball, logtoSource } from './logto-source.ts';

export const pnpmVersion = '10.34.9';

/**
 * Added to the root package.json's `pnpm.overrides`. Logto pins a fork of oidc-provider on GitHub,
 * which this machine cannot reach; its lockfile says the fork is 9.11.3, whose upstream release has
 * the same dependencies. The locked `@logto/cloud` (types only) is no longer in the registry.
 */
export const logtoOverrides: Readonly<Record<string, string>> = Object.freeze({
  'oidc-provider': '9.11.3',
  '@logto/cloud': '0.2.5-cf6987f',
});

/** What `node packages/core` needs, in dependency order (core reads the SPAs' dist folders). */
export const logtoBuildPackages = Object.freeze([
  '@logto/language-kit',
  '@logto/shared',
  '@logto/app-insights',
  '@logto/core-kit',
  '@logto/connector-kit',
  '@logto/phrases',
  '@logto/phrases-experience',
  '@logto/schemas',
  '@logto/experience',
  '@logto/cli',
  '@logto/console',
  '@logto/demo-app',
  '@logto/device-demo-app',
  '@logto/account',
  '@logto/core',
] as const);

/** Core's build copies its OpenAPI files with rsync; the lab uses this script instead (no apt package). */
const copyOpenApiScript = path.join(import.meta.dirname, 'copy-openapi.mjs');
const stampFileName = 'lab-build.json';
/** One command of the build; the Console alone took 71 s here, far more on a loaded machine. */
const commandTimeoutMs = 30 * 60_000;

export interface LogtoBuild {
  /** The deployed runtime: `node .` in it starts Logto. */
  dir: string;
  /** Names the build: `<sha256 12 hex>-<recipe 8 hex>`; a database seeded by another build is started afresh. */
  key: string;
  version: string;
  commit: string;
  /** False when an earlier build was found. */
  built: boolean;
  /** How long this call took. */
  seconds: number;
}

export interface LogtoBuildRecipe {
  overrides: Readonly<Record<string, string>>;
  pnpmVersion: string;
  packages: readonly string[];
  nodeMajor: number;
}

/** What goes into the key besides the source: Logto declares Node 22, so another Node major may build differently. */
export function logtoBuildRecipe(nodeVersion: string = process.versions.node): LogtoBuildRecipe {
  return { overrides: logtoOverrides, pnpmVersion, packages: logtoBuildPackages, nodeMajor: Number(nodeVersion.split('.')[0]) };
}

/** `<first 12 hex of the tarball's sha256>-<8 hex of the recipe>`, e.g. 40f5f1b8480a-1c2d3e4f. */
export function logtoBuildKey(sourceSha256: string, recipe: LogtoBuildRecipe = logtoBuildRecipe()): string {
  const recipeHash = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 8);
  return `${sourceSha256.slice(0, 12)}-${recipeHash}`;
}

export function logtoBuildDir(cacheDir: string, key: string): string {
  return path.join(cacheDir, `logto-${key}`);
}

/** lab-build.json: written last into a finished build, so its presence means "complete". */
export interface LogtoBuildStamp {
  key: string;
  sha256: string;
  commit: string;
  version: string;
  pnpmVersion: string;
  nodeVersion: string;
  overrides: Record<string, string>;
  steps: Array<{ step: string; seconds: number }>;
  totalSeconds: number;
  sizeMegabytes: number | undefined;
  builtAt: string;
}

/** The stamp in `text` if it is one for `key`; anything else (damaged, another build's) is undefined. */
export function parseBuildStamp(text: string, key: string): LogtoBuildStamp | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const stamp = value as Partial<LogtoBuildStamp>;
  const strings = [stamp.key, stamp.sha256, stamp.commit, stamp.version, stamp.builtAt];
  if (strings.some((field) => typeof field !== 'string') || !Array.isArray(stamp.steps)) return undefined;
  return stamp.key === key ? (stamp as LogtoBuildStamp) : undefined;
}

/** The finished build for this source and recipe, if there is one; never builds (the tests' global setup). */
export function findLogtoBuild(config: LabConfig): LogtoBuild | undefined {
  const startedAt = performance.now();
  const key = logtoBuildKey(logtoSource.sha256);
  const dir = logtoBuildDir(config.cacheDir, key);
  let text: string;
  try {
    text = readFileSync(path.join(dir, stampFileName), 'utf8');
  } catch {
    return undefined;
  }
  const stamp = parseBuildStamp(text, key);
  if (!stamp) return undefined;
  return { dir, key, version: stamp.version, commit: stamp.commit, built: false, seconds: (performance.now() - startedAt) / 1000 };
}

export interface LogtoBuildOptions {
  /** Aborting it stops the build; what it made so far is removed by the next build. */
  signal?: AbortSignal;
  /** One line per step: "✓ Logto 1.42.0: built @logto/console (11/15) (70.9 s)". */
  onProgress?: (line: string) => void;
  /** Every command's output, appended. */
  logPath: string;
}

/** The build, made when there is none yet (about 3 minutes here, and the npm registry); otherwise found at once. */
export async function ensureLogtoBuild(config: LabConfig, options: LogtoBuildOptions): Promise<LogtoBuild> {
  removeStaleStagingFolders(config.cacheDir);
  const found = findLogtoBuild(config);
  if (found) return found;
  const startedAt = performance.now();
  const tarball = findLogtoTarball(config);
  const key = logtoBuildKey(logtoSource.sha256);
  const dir = logtoBuildDir(config.cacheDir, key);
  mkdirSync(config.cacheDir, { recursive: true });
  const staging = `${dir}.staging-${process.pid}`;
  const build = new BuildRun(staging, options);
  build.progress(t('up.logto.build.starting', { version: logtoSource.version, commit: logtoSource.commit, log: options.logPath }));
  try {
    const runtime = await build.run(tarball.path, await ensurePnpm(config.cacheDir, build));
    const sizeMegabytes = await build.sizeMegabytes(runtime);
    writeFileSync(path.join(runtime, stampFileName), `${JSON.stringify(build.stamp(key, startedAt, sizeMegabytes), null, 2)}\n`);
    moveIntoPlace(runtime, dir, key);
    await build.step({ key: 'up.logto.build.removed-sources' }, async () => rmSync(staging, { recursive: true, force: true }));
    const seconds = (performance.now() - startedAt) / 1000;
    build.progress(
      t('up.logto.build.done', {
        version: logtoSource.version,
        commit: logtoSource.commit,
        seconds: String(Math.round(seconds)),
        dir,
        size: String(sizeMegabytes ?? '?'),
      }),
    );
    return { dir, key, version: logtoSource.version, commit: logtoSource.commit, built: true, seconds };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Another lab may have finished the same build meanwhile: then its copy is used and this one dropped. */
function moveIntoPlace(runtime: string, dir: string, key: string): void {
  try {
    renameSync(runtime, dir);
  } catch (error) {
    const stamp = existsSync(path.join(dir, stampFileName)) ? readFileSync(path.join(dir, stampFileName), 'utf8') : '';
    if (!parseBuildStamp(stamp, key)) throw error;
  }
}

/** Staging folders of builds whose process is gone (failed, killed, Ctrl-C): 1.4 GB each. */
function removeStaleStagingFolders(cacheDir: string): void {
  for (const name of existsSync(cacheDir) ? readdirSync(cacheDir) : []) {
    const pid = /^(?:logto-[0-9a-f]{12}-[0-9a-f]{8}|pnpm-[\d.]+)\.staging-(\d+)$/.exec(name)?.[1];
    if (pid && (Number(pid) === process.pid || !isProcessAlive(Number(pid)))) {
      rmSync(path.join(cacheDir, name), { recursive: true, force: true });
    }
  }
}

/** pnpm from the npm registry into the cache, once; its bin folder goes first on PATH for every pnpm call. */
async function ensurePnpm(cacheDir: string, build: BuildRun): Promise<string> {
  const dir = path.join(cacheDir, `pnpm-${pnpmVersion}`);
  const bin = path.join(dir, 'node_modules', '.bin');
  if (existsSync(path.join(bin, 'pnpm'))) return bin;
  const staging = `${dir}.staging-${process.pid}`;
  try {
    await build.step({ key: 'up.logto.build.installed-pnpm', values: { version: pnpmVersion } }, () =>
      build.command(
        `npm install pnpm@${pnpmVersion}`,
        'npm',
        ['install', '--prefix', staging, '--no-audit', '--no-fund', `pnpm@${pnpmVersion}`],
        {
          cwd: cacheDir,
        },
      ),
    );
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return bin;
}

/** The root package.json with the lab's overrides added to `pnpm.overrides`. */
export function withLabOverrides(packageJson: string): string {
  const manifest = JSON.parse(packageJson) as { pnpm?: { overrides?: Record<string, string> } };
  manifest.pnpm = { ...manifest.pnpm, overrides: { ...manifest.pnpm?.overrides, ...logtoOverrides } };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** How many packages pnpm install added: its last progress line says "added 2457, done". */
export function installedPackageCount(output: string): number | undefined {
  const counts = [...output.matchAll(/added (\d+), done/g)];
  const last = counts.at(-1)?.[1];
  return last === undefined ? undefined : Number(last);
}

/**
 * The network error in npm's or pnpm's output, when the registry could not be reached
 * (ENOTFOUND, ECONNREFUSED, …); undefined for other failures.
 */
export function registryFailure(output: string): string | undefined {
  const code = /\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|EAI_AGAIN|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT)\b/.exec(
    output,
  )?.[1];
  if (code) return code;
  return /ERR_PNPM_META_FETCH_FAIL|ERR_PNPM_FETCH_\d+|network request to .* failed/.exec(output) ? 'no answer' : undefined;
}

/** The line of a failed command's output that says what went wrong: its last error line, else its last line. */
export function lastErrorLine(output: string): string {
  const lines = output
    // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes in pnpm's and vite's output
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const line = lines.findLast((candidate) => /\berror\b|ERR_PNPM|ERROR|failed/i.test(candidate)) ?? lines.at(-1) ?? '(no output)';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** What a step of the build did, as a message: the learner reads it in their language, the stamp keeps it in English. */
interface StepPhrase {
  key: MessageKey;
  values?: MessageValues;
}

/** One build in its staging folder: its steps, their times, their log. */
class BuildRun {
  readonly #staging: string;
  readonly #options: LogtoBuildOptions;
  readonly #steps: Array<{ step: string; seconds: number }> = [];
  #pnpmBin = '';

  constructor(staging: string, options: LogtoBuildOptions) {
    this.#staging = staging;
    this.#options = options;
    mkdirSync(path.dirname(options.logPath), { recursive: true });
    writeFileSync(
      options.logPath,
      `Building Logto ${logtoSource.version} (${logtoSource.commit}) in ${staging}, ${new Date().toISOString()}\n`,
    );
  }

  progress(line: string): void {
    this.#options.onProgress?.(line);
  }

  /** Extract, override, install, build each package, deploy core; returns the deployed runtime. */
  async run(tarball: string, pnpmBin: string): Promise<string> {
    this.#pnpmBin = pnpmBin;
    const src = path.join(this.#staging, 'src');
    const store = path.join(this.#staging, 'store');
    const runtime = path.join(this.#staging, 'runtime');
    mkdirSync(src, { recursive: true });
    await this.step({ key: 'up.logto.build.unpacked' }, () =>
      this.command('tar', 'tar', ['-xzf', tarball, '-C', src, '--strip-components=1']),
    );
    writeFileSync(path.join(src, 'package.json'), withLabOverrides(readFileSync(path.join(src, 'package.json'), 'utf8')));
    // --no-frozen-lockfile: the overrides change the lockfile, which CI=true would otherwise refuse.
    await this.pnpm('pnpm install', src, ['install', '--no-frozen-lockfile', '--store-dir', store], (output) => {
      const count = installedPackageCount(output);
      return { key: 'up.logto.build.installed', values: { count: count === undefined ? 'none' : String(count) } };
    });
    for (const [index, name] of logtoBuildPackages.entries()) {
      const args =
        name === '@logto/core'
          ? ['--filter', name, 'exec', 'tsup', '--onSuccess', `node ${JSON.stringify(copyOpenApiScript)}`]
          : ['--filter', name, 'run', 'build'];
      await this.pnpm(`build ${name}`, src, args, () => ({
        key: 'up.logto.build.built-package',
        values: { name, index: String(index + 1), total: String(logtoBuildPackages.length) },
      }));
    }
    await this.pnpm('pnpm deploy', src, ['--filter', '@logto/core', 'deploy', '--prod', '--legacy', '--store-dir', store, runtime], () => ({
      key: 'up.logto.build.deployed',
    }));
    return runtime;
  }

  /** A pnpm command in the source tree: pnpm first on PATH (Logto's scripts call `pnpm`), then this Node. */
  async pnpm(what: string, cwd: string, args: string[], done: (output: string) => StepPhrase): Promise<string> {
    const startedAt = performance.now();
    const output = await this.command(what, path.join(this.#pnpmBin, 'pnpm'), args, { cwd, env: { CI: 'true' } });
    this.#record(done(output), startedAt);
    return output;
  }

  /** Times `work` and reports it as one progress line. */
  async step<T>(done: StepPhrase, work: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    const result = await work();
    this.#record(done, startedAt);
    return result;
  }

  #record(done: StepPhrase, startedAt: number): void {
    const milliseconds = performance.now() - startedAt;
    // lab-build.json is a record, like a log: English whatever the learner reads.
    this.#steps.push({ step: inLocale('en', done.key, done.values), seconds: Math.round(milliseconds / 100) / 10 });
    this.progress(
      t('up.logto.build.step', { version: logtoSource.version, step: t(done.key, done.values), duration: formatSeconds(milliseconds) }),
    );
  }

  /** Runs one command with its output appended to the log; a failure is one line naming `what`. */
  async command(what: string, file: string, args: string[], { cwd, env }: { cwd?: string; env?: Record<string, string> } = {}) {
    const { signal, logPath } = this.#options;
    if (signal?.aborted) throw interrupted();
    appendFileSync(logPath, `\n$ ${[file, ...args].join(' ')}\n`);
    const toolPath = [this.#pnpmBin, path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter);
    const result = await runCommand(file, args, { cwd, env: { ...env, PATH: toolPath }, signal, timeoutMs: commandTimeoutMs });
    const output = `${result.stdout}\n${result.stderr}`;
    appendFileSync(logPath, output);
    if (signal?.aborted) throw interrupted();
    if (result.exitCode === 0) return output;
    const network = registryFailure(output);
    const failure = t('up.logto.build.failed', {
      version: logtoSource.version,
      what,
      reason: network ? 'network' : result.timedOut ? 'timeout' : 'exited',
      network: network === 'no answer' ? t('up.logto.build.no-answer') : (network ?? ''),
      minutes: String(commandTimeoutMs / 60_000),
      code: String(result.exitCode ?? '(none)'),
      detail: network || result.timedOut ? '' : lastErrorLine(output),
    });
    throw new LabError('ERR_LOGTO_BUILD', failure, { hint: t('up.hint.see-log', { path: logPath }) });
  }

  async sizeMegabytes(dir: string): Promise<number | undefined> {
    const du = await runCommand('du', ['-sk', dir]);
    const kilobytes = Number(du.stdout.split('\t')[0]);
    return du.exitCode === 0 && Number.isFinite(kilobytes) ? Math.round(kilobytes / 1024) : undefined;
  }

  stamp(key: string, startedAt: number, sizeMegabytes: number | undefined): LogtoBuildStamp {
    return {
      key,
      sha256: logtoSource.sha256,
      commit: logtoSource.commit,
      version: logtoSource.version,
      pnpmVersion,
      nodeVersion: process.versions.node,
      overrides: { ...logtoOverrides },
      steps: this.#steps,
      totalSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
      sizeMegabytes,
      builtAt: new Date().toISOString(),
    };
  }
}

function interrupted(): LabError {
  return new LabError('ERR_INTERRUPTED', t('up.logto.build.interrupted', { version: logtoSource.version }));
}
