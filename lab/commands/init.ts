import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, type LabConfig, type WhoamiSdk } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { runCommand } from '../../core/process.ts';
import { step } from '../progress.ts';
import { inspectInterpreter, pythonLockFile, runLogged } from '../python-venv.ts';

/**
 * `lab init DIR --sdk node|python`: the tutorial's "Create a new project" and "Install the MCP
 * SDK and dependencies" steps, with the packages pinned to the versions the lab tests — so that a
 * learner starts from something `lab check` knows works with the lab. The learner writes whoami.js
 * (or whoami.py) next, as the tutorial says.
 */
export async function init(config: LabConfig, { dir, sdk }: { dir: string; sdk: WhoamiSdk }): Promise<number> {
  const target = path.resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new LabError('ERR_USAGE', `${target} is not empty; lab init starts a new project`, { hint: 'give it a new folder' });
  }
  mkdirSync(target, { recursive: true });
  if (sdk === 'node') await initNode(target);
  else await initPython(config, target);
  const [file, start] = sdk === 'node' ? ['whoami.js', 'npm start'] : ['whoami.py', '.venv/bin/uvicorn whoami:app --port 3001'];
  console.log(
    `Project ready in ${target}. Next: write ${file} as the tutorial's "Create the MCP server" shows, run \`${start}\`, then \`npm run lab -- check --checkpoint 1\`.`,
  );
  return 0;
}

/** The versions of the tutorial's Node.js packages the lab itself runs (its lockfile's). */
function testedNodeVersions(): Record<string, string> {
  const installed = (name: string) =>
    (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return Object.fromEntries(['@modelcontextprotocol/sdk', 'express', 'mcp-auth'].map((name) => [name, installed(name)]));
}

async function initNode(target: string): Promise<void> {
  // npm init -y; npm pkg set type="module" main="whoami.js" scripts.start="node whoami.js" — and
  // the install step's packages, pinned.
  const packageJson = {
    name:
      path
        .basename(target)
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-') || 'mcp-server',
    version: '1.0.0',
    private: true,
    type: 'module',
    main: 'whoami.js',
    scripts: { start: 'node whoami.js' },
    dependencies: testedNodeVersions(),
  };
  writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  await step(
    "npm install (the tutorial's packages, pinned)",
    async () => {
      const installed = await runCommand('npm', ['install', '--no-audit', '--no-fund'], { cwd: target, timeoutMs: 300_000 });
      if (installed.exitCode !== 0)
        throw new LabError('ERR_INSTALL', `npm install failed in ${target}: ${installed.stderr.trim().split('\n').at(-1)}`);
    },
    () =>
      `installed ${Object.entries(packageJson.dependencies)
        .map(([name, version]) => `${name}@${version}`)
        .join(', ')}`,
  );
}

async function initPython(_config: LabConfig, target: string): Promise<void> {
  // uv init (or pipenv, poetry) — a virtual environment in .venv; pip install "mcp[cli]" starlette
  // uvicorn mcpauth — the versions of the lab's Python server, from its lock file, hash-checked.
  const interpreter = await inspectInterpreter();
  const logPath = path.join(target, '.venv-install.log');
  const log: string[] = [];
  await step(
    `python3 -m venv .venv; pip install (the tutorial's packages, pinned: ${path.relative(repoRoot, pythonLockFile)})`,
    async () => {
      try {
        await runLogged(log, logPath, 'python3', ['-m', 'venv', '.venv'], 'python3 -m venv .venv', { cwd: target });
        await runLogged(
          log,
          logPath,
          path.join(target, '.venv', 'bin', 'python'),
          ['-m', 'pip', 'install', '--require-hashes', '--no-deps', '--no-input', '-r', pythonLockFile],
          'pip install',
          { cwd: target },
        );
      } finally {
        writeFileSync(logPath, log.join('\n'));
      }
      const listed = await runLogged(
        [],
        logPath,
        path.join(target, '.venv', 'bin', 'python'),
        ['-m', 'pip', 'list', '--format=json'],
        'pip list',
      );
      rmSync(logPath);
      return JSON.parse(listed) as Array<{ name: string; version: string }>;
    },
    (installed) =>
      `installed on Python ${interpreter.version}: ${['mcp', 'mcpauth', 'starlette', 'uvicorn'].map((name) => `${name}==${installed.find((entry) => entry.name.toLowerCase() === name)?.version}`).join(', ')}`,
  );
}
