/**
 * One tutorial server in a scratch folder, ready to start: the packages installed — with the
 * tutorial's own unpinned commands ("as written"), or the lab's pins — and the learner's file
 * written. Installation failures are outcomes here, not errors: they are what the check reports.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, type LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { ensurePythonVenv, inspectInterpreter, runLogged } from '../../lab/python-venv.ts';
import { assembleServer, tutorialCommands, type Tab } from './tutorial-code.ts';

export type Variant = 'as written' | 'pinned';

export interface PreparedServer {
  tab: Tab;
  variant: Variant;
  dir: string;
  /** The packages the tutorial installs, and what they pulled in that matters, by name. */
  versions: Record<string, string>;
  /** The command that starts it, as the tutorial runs it. */
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Set when it could not be prepared: the step and its error, in one line. */
  failure?: string;
}

/** The packages whose versions the report lists. */
const reportedPackages: Record<Tab, string[]> = {
  python: ['mcp', 'mcpauth', 'starlette', 'uvicorn', 'sse-starlette', 'pydantic', 'requests'],
  node: ['@modelcontextprotocol/sdk', 'express', 'mcp-auth'],
};

export async function prepareServer(
  config: LabConfig,
  tab: Tab,
  variant: Variant,
  { dir, port }: { dir: string; port: number },
): Promise<PreparedServer> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const logPath = path.join(dir, 'install.log');
  const log: string[] = [];
  const prepared = { tab, variant, dir, versions: {}, file: '', args: [], env: {} };
  try {
    const ready =
      tab === 'python' ? await preparePython(config, variant, dir, port, log, logPath) : await prepareNode(variant, dir, log, logPath);
    writeFileSync(path.join(dir, tab === 'python' ? 'whoami.py' : 'whoami.js'), assembleServer(tab, { issuer: config.realm.issuer, port }));
    return { ...prepared, ...ready };
  } catch (error) {
    // An installation that fails is what the check reports; a machine without python3 is not.
    if (!(error instanceof LabError && error.code === 'ERR_INSTALL')) throw error;
    return { ...prepared, failure: error.message };
  } finally {
    writeFileSync(logPath, log.join('\n'));
  }
}

async function preparePython(config: LabConfig, variant: Variant, dir: string, port: number, log: string[], logPath: string) {
  let python: string;
  if (variant === 'pinned') {
    python = (await ensurePythonVenv(config.cacheDir, { logPath: path.join(dir, 'pinned-venv.log') })).python;
  } else {
    await inspectInterpreter();
    // "uv init (or pipenv, poetry)": a fresh virtual environment of the learner's own.
    await runLogged(log, logPath, 'python3', ['-m', 'venv', '.venv'], 'python3 -m venv', { cwd: dir });
    python = path.join(dir, '.venv', 'bin', 'python');
    for (const [pip, ...args] of tutorialCommands.python.install) {
      await runLogged(log, logPath, python, ['-m', pip, ...args], `${pip} ${args.join(' ')}`, { cwd: dir });
    }
  }
  const installed = JSON.parse(await runLogged(log, logPath, python, ['-m', 'pip', 'list', '--format=json'], 'pip list')) as Array<{
    name: string;
    version: string;
  }>;
  const versions = Object.fromEntries(
    reportedPackages.python.flatMap((name) => {
      const found = installed.find((entry) => entry.name.toLowerCase() === name);
      return found ? [[name, found.version]] : [];
    }),
  );
  // `uvicorn …` with the venv active is `python -m uvicorn …`.
  const [, ...uvicornArgs] = tutorialCommands.python.run(port);
  return { versions, file: python, args: ['-m', 'uvicorn', ...uvicornArgs], env: {} };
}

async function prepareNode(variant: Variant, dir: string, log: string[], logPath: string) {
  // npm, and `node whoami.js` under `npm start`, run on the Node that runs this check.
  const env = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const commands = variant === 'pinned' ? tutorialCommands.node.init : [...tutorialCommands.node.init, ...tutorialCommands.node.install];
  for (const [npm, ...args] of commands) await runLogged(log, logPath, npm, args, `${npm} ${args.join(' ')}`, { cwd: dir, env });
  // Pinned: the lab's own packages (package-lock.json), as `npm ci` installed them for the lab.
  if (variant === 'pinned') symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const versions = Object.fromEntries(
    reportedPackages.node.map((name) => {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      return [name, manifest.version];
    }),
  );
  const [file, ...args] = tutorialCommands.node.run;
  return { versions, file, args: [...args], env };
}
