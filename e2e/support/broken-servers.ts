/**
 * Deliberately broken copies of the lab's Node.js whoami server, one classic mistake each, for
 * `lab check`'s diagnoses. Each edit must find its text, so a change to the server that would make
 * a copy silently unbroken fails loudly instead.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, whoamiServerEnv, withSettings, type LabConfig } from '../../core/config.ts';
import { startService, type StartedService } from '../../core/process.ts';
import type { CheckDiagnosisId, DiagnosisId } from '../../lab/check/diagnoses.ts';
import { labWithServerOn } from './test-ports.ts';

/** A copy of the lab's Node.js server with `edits` applied, each of which must find its text. */
export function brokenCopy(dir: string, edits: Array<[file: string, from: string, to: string]>): string {
  const copy = path.join(dir, 'server');
  const server = path.join(repoRoot, 'server');
  // The Node server's files only: not its package.json, not the Python server (server/python/).
  cpSync(server, copy, { recursive: true, filter: (source) => source !== path.join(server, 'python') && !source.endsWith('package.json') });
  for (const [file, from, to] of edits) {
    const target = path.join(copy, file);
    const text = readFileSync(target, 'utf8');
    if (!text.includes(from)) throw new Error(`the broken copy's edit no longer applies: ${file} has no ${JSON.stringify(from)}`);
    writeFileSync(target, text.replace(from, to));
  }
  return path.join(copy, 'whoami.ts');
}

/**
 * Starts a Node.js whoami server (the script at `script`) on `port`, with the tutorial-mode
 * settings of `lab` (the test lab's unless told: the providers tier gives its tabs' labs) and `env`
 * on top (what a learner would have typed differently, e.g. WHOAMI_USER_ENDPOINT).
 */
export function startServer(
  script: string,
  port: number,
  logPath: string,
  { lab, env = {} }: { lab?: LabConfig; env?: Record<string, string> } = {},
): Promise<StartedService> {
  const settings = withSettings(labWithServerOn(port, lab), { AUTH_MODE: 'tutorial' });
  return startService({
    description: `A whoami server under test (${port})`,
    file: process.execPath,
    args: [script],
    env: { ...whoamiServerEnv(settings), ...env },
    logPath,
    ready: `http://localhost:${port}/healthz`,
    readyTimeoutMs: 30_000,
  });
}

export const removeMessagesRoute = (source: string) =>
  source.slice(source.indexOf("app.post('/messages'"), source.indexOf('// 4. Streamable HTTP'));

export const brokenServers: Array<{ name: string; diagnosis: DiagnosisId; edits: Array<[string, string, string]> }> = [
  { name: 'no bearer middleware', diagnosis: 'no-bearer-middleware', edits: [['whoami.ts', 'app.use(auth.bearerAuth);\n', '']] },
  {
    name: 'the bearer middleware after the routes',
    diagnosis: 'bearer-after-routes',
    edits: [
      ['whoami.ts', 'app.use(auth.bearerAuth);\n', ''],
      ['whoami.ts', 'app.listen(', 'app.use(auth.bearerAuth);\n\napp.listen('],
    ],
  },
  { name: 'no metadata route', diagnosis: 'no-metadata-route', edits: [['whoami.ts', 'app.use(auth.metadataRouter);\n', '']] },
  {
    name: 'a verifyToken that accepts any token (it decodes the JWT without checking it)',
    diagnosis: 'verify-accepts-any-token',
    edits: [
      [
        'tutorial-auth.ts',
        'const verifyToken: VerifyAccessTokenFunction = async (token) => {\n',
        `const verifyToken: VerifyAccessTokenFunction = async (token) => {
    const decoded = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}') as Record<string, unknown>;
    return { token, issuer, subject: String(decoded.sub), clientId: '', scopes: [], claims: decoded };
`,
      ],
    ],
  },
  {
    name: 'a tool that ignores the auth info',
    diagnosis: 'tool-ignores-auth-info',
    edits: [
      ['whoami.ts', "JSON.stringify(authInfo?.claims ?? { error: 'Not authenticated' })", "JSON.stringify({ error: 'Not authenticated' })"],
    ],
  },
  {
    name: 'claims of a fixed user',
    diagnosis: 'fixed-user-claims',
    edits: [
      [
        'whoami.ts',
        "JSON.stringify(authInfo?.claims ?? { error: 'Not authenticated' })",
        "JSON.stringify(authInfo ? { sub: '00000000-0000-0000-0000-000000000000', preferred_username: 'alice' } : { error: 'Not authenticated' })",
      ],
    ],
  },
  {
    name: 'SSE without the messages route',
    diagnosis: 'sse-no-messages-route',
    edits: [['whoami.ts', removeMessagesRoute(readFileSync(path.join(repoRoot, 'server', 'whoami.ts'), 'utf8')), '']],
  },
];

/** A copy of the lab's 2026-07-28 server (server/revision-2026/whoami.ts) with `edits` (files under server/), each of which must find its text. */
export function brokenRevision2026Copy(dir: string, edits: Array<[file: string, from: string, to: string]>): string {
  return path.join(path.dirname(brokenCopy(dir, edits)), 'revision-2026', 'whoami.ts');
}

/**
 * Starts the whoami server at `script` with exactly the settings of `lab` (its port, mode, realm
 * and revision: a realm lab's config), and `env` on top.
 */
export function startServerFor(script: string, lab: LabConfig, logPath: string, env: Record<string, string> = {}): Promise<StartedService> {
  return startService({
    description: `A whoami server under test (${lab.server.port})`,
    file: process.execPath,
    args: [script],
    env: { ...whoamiServerEnv(lab), ...env },
    logPath,
    ready: `http://localhost:${lab.server.port}/healthz`,
    readyTimeoutMs: 30_000,
  });
}

/**
 * Copies of the 2026-07-28 server with one mistake each, for `lab check --revision 2026-07-28`:
 * its diagnosis, and the later lines the same mistake fails too (in the order they are printed).
 */
export const brokenRevision2026Servers: Array<{
  name: string;
  diagnosis: CheckDiagnosisId;
  alsoFails?: CheckDiagnosisId[];
  edits: Array<[string, string, string]>;
}> = [
  {
    name: 'no scope challenge on whoami-admin',
    diagnosis: 'no-scope-challenge',
    edits: [['revision-2026/whoami.ts', '      scopeChallenge: requireScopes(settings.adminScope),\n', '']],
  },
  {
    name: 'a step-up challenge that names every scope',
    diagnosis: 'step-up-names-other-scopes',
    edits: [
      [
        'revision-2026/whoami.ts',
        'scopeChallenge: requireScopes(settings.adminScope)',
        'scopeChallenge: requireScopes(settings.scope, settings.adminScope)',
      ],
    ],
  },
  {
    name: "mcp-auth's own refusals (a 401 without scope)",
    diagnosis: 'challenge-without-scope',
    // Its refusal of a token for another resource is `invalid_audience`, no RFC 6750 code.
    alsoFails: ['refusal-not-invalid-token'],
    edits: [['revision-2026/whoami.ts', 'const auth = withSpecCompliantErrors(wiring);', 'const auth = wiring;']],
  },
  {
    name: 'offline_access in the protected resource metadata',
    diagnosis: 'metadata-offers-offline-access',
    edits: [['revision-2026/whoami.ts', 'stepUpScopes: [settings.adminScope],', "stepUpScopes: [settings.adminScope, 'offline_access'],"]],
  },
  {
    // Plain Express: no Host check (the lab's Origin check stays).
    name: "plain Express instead of the SDK's app",
    diagnosis: 'host-not-checked',
    edits: [
      [
        'revision-2026/whoami.ts',
        "import type { RequestHandler } from 'express';",
        "import express, { type RequestHandler } from 'express';",
      ],
      [
        'revision-2026/whoami.ts',
        'const app = createMcpExpressApp({ host: settings.host, allowedHosts: settings.allowedHosts });',
        'const app = express().use(express.json());',
      ],
    ],
  },
];
