/**
 * A learner's project on the tutorial's "OAuth 2" tab, for `lab check`'s provider diagnoses: the
 * folder as `lab init --provider oauth` leaves it (.env with PORT and LAB_PROVIDER, package.json
 * of type module) with the tutorial's Node.js server put together the way a learner does
 * (e2e/drift/tutorial-code.ts: the OIDC tab's "Set up MCP Auth"), then turned into the OAuth 2
 * tab's — or not quite: each mistake leaves out or gets wrong one of the tab's changes. Each edit
 * must find its text, so a change to the tutorial's code that would make a mistake vanish fails
 * loudly instead. The project lives under the test's output folder, inside the repository, so its
 * imports resolve to the lab's own node_modules.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isPortOpen } from '../../core/ports.ts';
import { runCommand, startService, type CommandResult, type StartedService } from '../../core/process.ts';
import type { ProviderKind } from '../../core/config.ts';
import { writeLearnerEnv } from '../../lab/learner-project.ts';
import { assembleServer } from '../drift/tutorial-code.ts';

/** What the learner wrote for "Set up MCP Auth" on the OAuth 2 tab. */
export type OAuthTabCode =
  /** The tab's code: `type: 'oauth'`, and verifyToken calls the provider's user endpoint. */
  | { kind: 'as written' }
  /** The OIDC tab's code, unchanged: OpenID discovery, the metadata's userinfo endpoint. */
  | { kind: 'the OIDC snippet' }
  /** `type: 'oauth'`, but verifyToken still takes the metadata's userinfo endpoint (undefined there). */
  | { kind: 'userinfo from the metadata' }
  /** The tab's code with a guessed user endpoint, e.g. the issuer's /userinfo. */
  | { kind: 'another user endpoint'; userEndpoint: string };

/** The verifyToken of the OIDC tab (drift/tutorial/node/setup-mcp-auth.js), up to its request. */
const oidcLookup = `  const { issuer, userinfoEndpoint } = mcpAuth.config.server.metadata;
  if (!userinfoEndpoint) {
    throw new Error("The authorization server's metadata has no userinfo endpoint");
  }

  const response = await fetch(userinfoEndpoint, `;

/** whoami.js on the OAuth 2 tab with `issuer` (and its user endpoint, `${issuer}/user`), on the PORT of the project's .env. */
export function oauthTabServer(issuer: string, code: OAuthTabCode): string {
  const edits: Array<[from: string, to: string]> = [[`const PORT = 0;`, 'const PORT = process.env.PORT;']];
  if (code.kind !== 'the OIDC snippet')
    edits.push([`fetchServerConfig(authIssuer, { type: 'oidc' })`, `fetchServerConfig(authIssuer, { type: 'oauth' })`]);
  if (code.kind === 'userinfo from the metadata') {
    // As the tab's page has it: no guard, so fetch() is handed `undefined`.
    edits.push([
      oidcLookup,
      '  const { issuer, userinfoEndpoint } = mcpAuth.config.server.metadata;\n  const response = await fetch(userinfoEndpoint, ',
    ]);
  }
  if (code.kind === 'as written' || code.kind === 'another user endpoint') {
    const userEndpoint = code.kind === 'as written' ? `${issuer}/user` : code.userEndpoint;
    edits.push([oidcLookup, `  const issuer = authIssuer;\n  const response = await fetch('${userEndpoint}', `]);
  }
  return edits.reduce(
    (text, [from, to]) => {
      if (text.split(from).length !== 2)
        throw new Error(`the OAuth 2 tab's edit no longer applies: whoami.js has no ${JSON.stringify(from)} (once)`);
      return text.replace(from, to);
    },
    assembleServer('node', { issuer, port: 0 }),
  );
}

/** whoami.js of the tabs whose code is the Keycloak tab's (OIDC, Logto) with `issuer`, on the PORT of the project's .env. */
export function tutorialServer(issuer: string): string {
  const code = assembleServer('node', { issuer, port: 0 });
  if (code.split('const PORT = 0;').length !== 2) throw new Error('the tutorial\'s server no longer has "const PORT = 0;" (once)');
  return code.replace('const PORT = 0;', 'const PORT = process.env.PORT;');
}

/** Writes the project into `dir`: .env as `lab init --provider` writes it, package.json, whoami.js. */
export function writeTabProject(dir: string, { port, provider, code }: { port: number; provider: ProviderKind; code: string }): string {
  writeLearnerEnv(dir, { port, provider }, '`npm start`');
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ type: 'module', main: 'whoami.js' }, null, 2)}\n`);
  writeFileSync(path.join(dir, 'whoami.js'), code);
  return dir;
}

/** `npm start` as `lab init` sets it up, for a server that is expected to stop by itself. */
export function runTabProject(dir: string): Promise<CommandResult> {
  return runCommand(process.execPath, ['--env-file=.env', 'whoami.js'], { cwd: dir, timeoutMs: 30_000 });
}

/** `npm start` as `lab init` sets it up; ready once the port listens (the tutorial's server has no health route). */
export function startTabProject(dir: string, port: number, logPath: string): Promise<StartedService> {
  return startService({
    description: `The learner's server in ${dir}`,
    file: process.execPath,
    args: ['--env-file=.env', 'whoami.js'],
    cwd: dir,
    logPath,
    ready: async () => ((await isPortOpen(port)) ? true : { pending: 'not listening' }),
    readyTimeoutMs: 30_000,
  });
}
