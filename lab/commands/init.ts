import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, withSettings, type LabConfig, type ProviderKind, type WhoamiSdk } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { runCommand } from '../../core/process.ts';
import { chooseLearnerPort, shellQuote, writeLearnerEnv } from '../learner-project.ts';
import { step } from '../progress.ts';
import { inspectInterpreter, pythonLockFile, runLogged } from '../python-venv.ts';

/**
 * `lab init DIR --sdk node|python [--provider keycloak|oidc|oauth]`: the tutorial's "Create a new
 * project" and "Install the MCP SDK and dependencies" steps, with the packages pinned to the
 * versions the lab tests — so that a learner starts from something `lab check` knows works with the
 * lab. It also picks the port of the learner's server (3002, or the next free one: 3001 is the lab's
 * own server) and writes it to DIR/.env, which the project's start command and `lab check DIR` both
 * read, with the provider tab the learner follows (LAB_PROVIDER: --provider, else the environment's,
 * else Keycloak's). The learner writes whoami.js (or whoami.py) next, as the tutorial says; the last
 * lines say how, with the tab's values for the code and the Inspector, then what to run.
 */
export async function init(
  labConfig: LabConfig,
  { dir, sdk, provider = labConfig.provider.kind }: { dir: string; sdk: WhoamiSdk; provider?: ProviderKind },
): Promise<number> {
  // The tab's settings first: a tab the lab cannot play here (a classroom's) stops before anything is made.
  const config = labConfig.provider.kind === provider ? labConfig : withSettings(labConfig, { LAB_PROVIDER: provider });
  const target = path.resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new LabError('ERR_USAGE', t('cli.init.not-empty', { dir: target }), { hint: t('cli.init.not-empty.hint') });
  }
  mkdirSync(target, { recursive: true });
  if (sdk === 'node') await initNode(target);
  else await initPython(config, target);
  const port = await chooseLearnerPort(config);
  if (sdk === 'node') writeLearnerEnv(target, { port, provider }, '`npm start`');
  else {
    writeLearnerEnv(target, { port, provider }, '`./start.sh`');
    writeFileSync(path.join(target, 'start.sh'), pythonStartScript, { mode: 0o755 });
  }
  console.log(nextSteps(config, { target, port, sdk }));
  return 0;
}

/**
 * The tutorial's `uvicorn whoami:app`, from the project's .venv, on the PORT in .env; from any
 * folder, since it changes to its own first.
 */
const pythonStartScript = `#!/bin/sh
# Made by \`npm run lab -- init\`: the tutorial's \`uvicorn whoami:app\` on the PORT in .env (the port
# \`npm run lab -- check <this folder>\` checks), with the packages of this folder's .venv.
set -eu
cd "$(dirname "$0")"
. ./.env
exec .venv/bin/uvicorn whoami:app --port "$PORT"
`;

/**
 * What to do next, as numbered steps whose commands can be pasted as they are (absolute folders:
 * the server runs in one terminal, the check in another); then the tab's values for "Set up MCP
 * Auth" and for the Inspector (`config.provider`).
 */
export function nextSteps(config: LabConfig, { target, port, sdk }: { target: string; port: number; sdk: WhoamiSdk }): string {
  const project = shellQuote(target);
  const check = `cd ${shellQuote(repoRoot)} && npm run lab -- check ${project}`;
  const [write, start, checkpoint2] =
    sdk === 'node'
      ? [
          t('cli.init.node.write'),
          t('cli.init.node.start', { command: `cd ${project} && npm start` }),
          t('cli.init.node.checkpoint2', { command: check }),
        ]
      : [
          t('cli.init.python.write'),
          t('cli.init.python.start', { command: shellQuote(path.join(target, 'start.sh')) }),
          t('cli.init.python.checkpoint2', { command: check }),
        ];
  return [
    t('cli.init.ready', { dir: target, port: String(port), labPort: String(config.server.port) }),
    t('cli.init.next'),
    `  1. ${write}`,
    `  2. ${start}`,
    `  3. ${t('cli.init.checkpoint1', { command: `${check} --checkpoint 1` })}`,
    `  4. ${checkpoint2}`,
    tabValues(config, sdk),
    t('cli.init.inspector', { port: String(port), scope: config.provider.scope }),
  ].join('\n');
}

/** How the tutorial names its provider tabs. */
const tabNames = { keycloak: 'Keycloak', oidc: 'OIDC', oauth: 'OAuth 2', logto: 'Logto' } as const satisfies Record<ProviderKind, string>;

/**
 * The values "Set up MCP Auth" asks for, in the tab's code as the learner writes it: the issuer
 * and its metadata call; on the OAuth 2 tab also the user endpoint verifyToken calls (its server
 * has no userinfo).
 */
function tabValues({ provider }: LabConfig, sdk: WhoamiSdk): string {
  const metadataCall =
    sdk === 'node'
      ? `fetchServerConfig(authIssuer, { type: '${provider.type}' })`
      : `fetch_server_config(auth_issuer, type=AuthServerType.${provider.type.toUpperCase()})`;
  return t('cli.init.tab', {
    tab: tabNames[provider.kind],
    provider: provider.kind,
    issuer: provider.issuer,
    metadataCall,
    note: provider.userEndpoint ? 'userEndpoint' : provider.kind === 'logto' ? 'logto' : 'none',
    userEndpoint: provider.userEndpoint ?? '',
  });
}

/** The versions of the tutorial's Node.js packages the lab itself runs (its lockfile's). */
function testedNodeVersions(): Record<string, string> {
  const installed = (name: string) =>
    (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return Object.fromEntries(['@modelcontextprotocol/sdk', 'express', 'mcp-auth'].map((name) => [name, installed(name)]));
}

async function initNode(target: string): Promise<void> {
  // npm init -y; npm pkg set type="module" main="whoami.js" scripts.start="node whoami.js" — with
  // the port from .env (Node ≥ 20.6 reads it) — and the install step's packages, pinned.
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
    scripts: { start: 'node --env-file=.env whoami.js' },
    dependencies: testedNodeVersions(),
  };
  writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  await step(
    t('cli.init.npm-install'),
    async () => {
      const installed = await runCommand('npm', ['install', '--no-audit', '--no-fund'], { cwd: target, timeoutMs: 300_000 });
      if (installed.exitCode !== 0)
        throw new LabError(
          'ERR_INSTALL',
          t('cli.init.npm-failed', { dir: target, detail: String(installed.stderr.trim().split('\n').at(-1)) }),
        );
    },
    () =>
      t('cli.init.npm-installed', {
        packages: Object.entries(packageJson.dependencies)
          .map(([name, version]) => `${name}@${version}`)
          .join(', '),
      }),
  );
}

async function initPython(_config: LabConfig, target: string): Promise<void> {
  // uv init (or pipenv, poetry) — a virtual environment in .venv; pip install "mcp[cli]" starlette
  // uvicorn mcpauth — the versions of the lab's Python server, from its lock file, hash-checked.
  const interpreter = await inspectInterpreter();
  const logPath = path.join(target, '.venv-install.log');
  const log: string[] = [];
  await step(
    t('cli.init.pip-install', { lockFile: path.relative(repoRoot, pythonLockFile) }),
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
      t('cli.init.pip-installed', {
        version: interpreter.version,
        packages: ['mcp', 'mcpauth', 'starlette', 'uvicorn']
          .map((name) => `${name}==${installed.find((entry) => entry.name.toLowerCase() === name)?.version}`)
          .join(', '),
      }),
  );
}
