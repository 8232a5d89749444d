/**
 * The learner's project as `lab init` makes it and `lab check DIR` finds it: the port their server
 * listens on is written once, as `PORT=…` in DIR/.env, which the project's start command and `lab
 * check DIR` both read, so the two cannot drift apart.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labPorts, type LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
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
  throw new LabError('ERR_PORT_IN_USE', `No free port for your server from ${firstLearnerPort} to ${firstLearnerPort + portsToTry - 1}`, {
    hint: 'stop the servers you no longer need (`ss -ltnp` lists them)',
  });
}

export function projectEnvPath(dir: string): string {
  return path.join(dir, '.env');
}

/** Writes DIR/.env with the port, and a line saying who chose it and who reads it (`startedBy`: npm start, start.sh). */
export function writeLearnerPort(dir: string, port: number, startedBy: string): void {
  writeFileSync(
    projectEnvPath(dir),
    `# Your server's port, chosen by \`npm run lab -- init\` away from the lab's own; ${startedBy} and \`npm run lab -- check ${dir}\` read it.\nPORT=${port}\n`,
  );
}

/** The port in DIR/.env; one line naming what is missing when DIR is not a project `lab init` made. */
export function readLearnerPort(dir: string): number {
  const envPath = projectEnvPath(dir);
  if (!existsSync(envPath)) {
    throw new LabError('ERR_USAGE', `${dir} has no .env with the PORT of your server: is it a folder \`lab init\` made?`, {
      hint: "give `lab check` that folder, or your server's URL (e.g. http://localhost:3002)",
    });
  }
  // As a shell (start.sh) and Node's --env-file read it: PORT=3002, optionally quoted or exported.
  const match = /^\s*(?:export\s+)?PORT\s*=\s*(["']?)(\S*?)\1\s*(?:#.*)?$/m.exec(readFileSync(envPath, 'utf8'));
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LabError(
      'ERR_USAGE',
      match ? `PORT in ${envPath} is not a port number: "${match[2]}"` : `${envPath} has no PORT=… line (the port of your server)`,
      { hint: `add one, e.g. PORT=${firstLearnerPort}` },
    );
  }
  return port;
}

/** A path as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
export function shellQuote(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
