/**
 * The learner's project as `lab init` makes it and `lab check DIR` finds it: the port their server
 * listens on is written once, as `PORT=…` in DIR/.env, which the project's start command and `lab
 * check DIR` both read, so the two cannot drift apart; beside it `LAB_PROVIDER=…`, the tutorial's
 * provider tab the project follows, which `lab check DIR` checks against unless the environment
 * says otherwise (a variable set in the shell wins, as with docker compose's .env).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labPorts, providerKinds, type LabConfig, type ProviderKind } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import { isPortOpen } from '../core/ports.ts';

/** The learner's first choice: next to the lab's own whoami server (3001), as the tutorial's readers expect. */
export const firstLearnerPort = 3002;
/** How far up `chooseLearnerPort` looks before giving up. */
const portsToTry = 100;

/**
 * The learner's port: 3002, or the next one that is free now and that the lab does not use itself
 * (a lab started later would find it taken).
 */
export async function chooseLearnerPort(
  config: LabConfig,
  { isTaken = (port: number) => isPortOpen(port) }: { isTaken?: (port: number) => Promise<boolean> } = {},
): Promise<number> {
  const lab = new Set(labPorts(config));
  for (let port = firstLearnerPort; port < firstLearnerPort + portsToTry; port++) {
    if (!lab.has(port) && !(await isTaken(port))) return port;
  }
  throw new LabError(
    'ERR_PORT_IN_USE',
    t('cli.learner.no-free-port', { first: String(firstLearnerPort), last: String(firstLearnerPort + portsToTry - 1) }),
    { hint: t('cli.learner.no-free-port.hint') },
  );
}

export function projectEnvPath(dir: string): string {
  return path.join(dir, '.env');
}

/**
 * Writes DIR/.env: the port, and a line saying who chose it and who reads it (`startedBy`: npm
 * start, start.sh); then the provider tab.
 */
export function writeLearnerEnv(dir: string, { port, provider }: { port: number; provider: ProviderKind }, startedBy: string): void {
  writeFileSync(
    projectEnvPath(dir),
    [
      `# Your server's port, chosen by \`npm run lab -- init\` away from the lab's own; ${startedBy} and \`npm run lab -- check ${dir}\` read it.`,
      `PORT=${port}`,
      `# The tutorial's provider tab you follow (keycloak, oidc or oauth): \`npm run lab -- check ${dir}\` signs in at its server.`,
      `LAB_PROVIDER=${provider}`,
      '',
    ].join('\n'),
  );
}

/** The port in DIR/.env; one line naming what is missing when DIR is not a project `lab init` made. */
export function readLearnerPort(dir: string): number {
  const envPath = projectEnvPath(dir);
  if (!existsSync(envPath)) {
    throw new LabError('ERR_USAGE', t('cli.learner.no-env', { dir }), { hint: t('cli.learner.no-env.hint') });
  }
  const value = readEnvValue(readFileSync(envPath, 'utf8'), 'PORT');
  const port = Number(value);
  if (value === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LabError(
      'ERR_USAGE',
      value !== undefined ? t('cli.learner.port-not-a-number', { file: envPath, value }) : t('cli.learner.no-port-line', { file: envPath }),
      { hint: t('cli.learner.add-port.hint', { port: String(firstLearnerPort) }) },
    );
  }
  return port;
}

/**
 * The provider tab in DIR/.env (LAB_PROVIDER=oauth), or undefined when it names none (a project
 * `lab init` made before there were tabs); one line when it names one the lab does not know.
 */
export function readLearnerProvider(dir: string): ProviderKind | undefined {
  const envPath = projectEnvPath(dir);
  if (!existsSync(envPath)) return undefined;
  const value = readEnvValue(readFileSync(envPath, 'utf8'), 'LAB_PROVIDER');
  if (value === undefined || value === '') return undefined;
  if (!(providerKinds as readonly string[]).includes(value)) {
    throw new LabError('ERR_USAGE', t('cli.learner.wrong-provider', { file: envPath, providers: providerKinds.join(', '), value }));
  }
  return value as ProviderKind;
}

/** A variable of a .env as a shell (start.sh) and Node's --env-file read it: NAME=value, optionally quoted or exported; the last one wins. */
export function readEnvValue(text: string, name: string): string | undefined {
  // Blanks within the line only: an empty value must not take the next line's.
  const line = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=[ \\t]*(["']?)(\\S*?)\\1[ \\t]*(?:#.*)?$`, 'gm');
  return [...text.matchAll(line)].at(-1)?.[2];
}

/** A path as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
export function shellQuote(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
