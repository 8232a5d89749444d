/**
 * The room's progress: students' `lab check --report` send their results here, the instructor
 * sees who has passed which checkpoint (`lab classroom progress`, or the page at /progress, made
 * for a projector). A report is authenticated with the student's own access token from Keycloak:
 * the name it is filed under is the token's, so a student can only report for themselves. Only
 * the results are kept — no token, no password.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { inLocale, t } from '../../core/messages.ts';
import { readClassroom } from '../classroom-state.ts';
import { renderProgressPage } from './progress-page.ts';

/** What one check sends (the `--json` shape of `lab check`, without anything secret). */
export interface ProgressReport {
  username: string;
  checkpoint: 1 | 2;
  passed: boolean;
  results: Array<{ name: string; status: 'pass' | 'fail' | 'skip'; diagnosis?: string }>;
}

export interface StudentProgress {
  username: string;
  /** Per checkpoint checked: whether it passed, the failed checks' diagnoses, and when. */
  checkpoints: Partial<Record<'1' | '2', { passed: boolean; failed: Array<{ name: string; diagnosis?: string }>; at: string }>>;
}

export interface ProgressView {
  students: StudentProgress[];
  /** The page's line under its heading ("1 of 3 students have passed checkpoint 2."), in the room's language: the page formats no message. */
  summary: string;
  updatedAt: string;
}

export function progressFile(config: LabConfig): string {
  return path.join(config.stateDir, 'classroom', 'progress.json');
}

export function readProgress(config: LabConfig): Map<string, StudentProgress> {
  const file = progressFile(config);
  if (!existsSync(file)) return new Map();
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StudentProgress[];
  return new Map(stored.map((student) => [student.username, student]));
}

/** Every student of the roster (reported or not), then anyone else who reported. */
export function progressView(config: LabConfig, progress: Map<string, StudentProgress>): ProgressView {
  const roster = readClassroom(config).map(({ username }) => username);
  const names = [...new Set([...roster, ...[...progress.keys()].sort()])];
  const students = names.map((username) => progress.get(username) ?? { username, checkpoints: {} });
  const done = students.filter(({ checkpoints }) => checkpoints['2']?.passed).length;
  return {
    students,
    summary: inLocale(config.locale.tag, 'classroom.page.summary', { done: String(done), total: String(students.length) }),
    updatedAt: new Date().toISOString(),
  };
}

export interface StartedProgressServer {
  url: string;
  stop(): Promise<void>;
}

export async function startProgressServer(config: LabConfig): Promise<StartedProgressServer> {
  const progress = readProgress(config);
  const app = express();
  app.disable('x-powered-by');
  // Only the names this lab is reached by (DNS rebinding), as for the whoami server.
  app.use(hostHeaderValidation([...config.server.allowedHosts]));

  app.get('/progress.json', (_request, response) => {
    response.json(progressView(config, progress));
  });
  app.get(['/', '/progress'], (_request, response) => {
    response.type('html').send(renderProgressPage(config));
  });

  app.post('/reports', express.json({ limit: '64kb' }), receiveReport(config, progress));

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.classroom.progressPort, config.server.host, () => resolve(listening));
    listening.once('error', (error) =>
      reject(
        new LabError(
          'ERR_PORT_IN_USE',
          t('classroom.page.port-in-use', { port: String(config.classroom.progressPort), error: error.message }),
          { hint: t('classroom.page.port-in-use.hint') },
        ),
      ),
    );
  });
  return {
    url: config.classroom.progressUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** POST /reports: a student's `lab check --report`, signed with their own token (checked at Keycloak's userinfo). */
function receiveReport(config: LabConfig, progress: Map<string, StudentProgress>): RequestHandler {
  const userinfoUrl = `${config.keycloak.internalUrl}/realms/${config.realm.name}/protocol/openid-connect/userinfo`;
  return async (request, response) => {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return refuse(response, 401, 'unauthorized', 'Send your access token: Authorization: Bearer <token>.');
    let userinfo: Response;
    try {
      userinfo = await fetch(userinfoUrl, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
    } catch {
      return refuse(response, 503, 'temporarily_unavailable', 'Keycloak cannot be reached to check the token.');
    }
    if (!userinfo.ok) return refuse(response, 401, 'invalid_token', 'Keycloak does not accept this token.');
    const { preferred_username: username } = (await userinfo.json()) as { preferred_username?: string };
    const report = request.body as Partial<ProgressReport>;
    if (!isReport(report))
      return refuse(response, 400, 'invalid_request', 'A report has username, checkpoint (1 or 2), passed and results.');
    if (!username || report.username !== username) {
      return refuse(response, 403, 'forbidden', `This token is ${username ?? 'nobody'}'s: a student can report only their own results.`);
    }
    const student = progress.get(username) ?? { username, checkpoints: {} };
    const at = new Date().toISOString();
    student.checkpoints[String(report.checkpoint) as '1' | '2'] = {
      passed: report.passed,
      failed: report.results
        .filter(({ status }) => status === 'fail')
        .map(({ name, diagnosis }) => ({ name: String(name), ...(diagnosis ? { diagnosis: String(diagnosis) } : {}) })),
      at,
    };
    // Whoever passes checkpoint 2 has passed checkpoint 1 on the way.
    if (report.checkpoint === 2 && report.passed) student.checkpoints['1'] = { passed: true, failed: [], at };
    progress.set(username, student);
    saveProgress(config, progress);
    response.status(201).json({ username, checkpoint: report.checkpoint, passed: report.passed });
  };
}

function isReport(report: Partial<ProgressReport>): report is ProgressReport {
  return (
    typeof report.username === 'string' &&
    (report.checkpoint === 1 || report.checkpoint === 2) &&
    typeof report.passed === 'boolean' &&
    Array.isArray(report.results)
  );
}

/** `error_description` stays English whatever the room's language: RFC 6749's is ASCII, and `lab check --report` quotes it. */
function refuse(response: express.Response, status: number, error: string, description: string): void {
  response.status(status).json({ error, error_description: description });
}

function saveProgress(config: LabConfig, progress: Map<string, StudentProgress>): void {
  const file = progressFile(config);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify([...progress.values()], null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}
