import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { withSettings, type LabConfig, type McpRevision } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t, withLocale } from '../../core/messages.ts';
import { describeDiagnosis, providerName, tNamed } from '../check/diagnoses.ts';
import { quote, revision2026LineOrder, type CheckOptions, type CheckReport, type CheckResult } from '../check/check.ts';
import { checkServer } from '../check/check-server.ts';
import { tutorialRevision } from '../check/revision-flag.ts';
import type { ProgressReport } from '../classroom/progress-server.ts';
import { projectEnvPath, readLearnerPort, readLearnerProvider, shellQuote } from '../learner-project.ts';

export interface CheckCommandOptions {
  /** A URL, a folder `lab init` made, or nothing: the lab's own whoami server. */
  target: string | undefined;
  /** Whose requirements: the tutorial's checkpoints (2025-11-25), or today's revision's. */
  revision: McpRevision;
  checkpoint: 1 | 2;
  username: string | undefined;
  password: string | undefined;
  json: boolean;
  report: boolean;
}

/** The server `lab check` checks, and how it came to be that one. */
type CheckTarget = { kind: 'lab'; url: string } | { kind: 'project'; url: string; dir: string } | { kind: 'url'; url: string };

/** Where the tab `lab check` plays came from: LAB_PROVIDER in the environment (or none), or in the project's .env. */
type TabSource = 'environment' | 'project';

/**
 * `lab check [URL|DIR]`: the tutorial's checkpoints against the server at URL, or the learner's
 * server of a folder `lab init` made (on the PORT in its .env), or by default the lab's own whoami
 * server; one line each, with a diagnosis for each failure; `--json` for machines; `--report`
 * sends the result to the room's lab (LAB_PUBLIC_HOST). Exit 0 only when every checkpoint up to
 * the expected one passed. The sign-in is at the tab's authorization server (LAB_PROVIDER: in the
 * environment, else in the project's .env, else Keycloak). `--revision 2026-07-28` checks today's
 * revision's requirements instead (check/revision-2026/), on the Keycloak tab only.
 */
export async function check(labConfig: LabConfig, options: CheckCommandOptions): Promise<number> {
  const target = resolveTarget(labConfig, options.target);
  const { config, tabSource } = withProjectTab(labConfig, target);
  const { url } = target;
  const credentials = {
    username: options.username ?? config.user.username,
    password: options.password ?? (options.username === undefined ? config.user.password : undefined) ?? '',
  };
  if (options.checkpoint === 2 && credentials.password === '') {
    throw new LabError('ERR_USAGE', t('check.error.password-needed', { username: credentials.username }));
  }
  const { revision } = options;
  if (revision !== tutorialRevision && config.provider.kind !== 'keycloak') {
    throw new LabError('ERR_USAGE', t('check.error.revision-needs-keycloak', { revision, kind: config.provider.kind }));
  }
  // First, which server: the lab's own passes, and must not be mistaken for the learner's.
  if (!options.json)
    console.log(
      t('check.checking', {
        target: describeTarget(target),
        tab: describeTab(config, target, tabSource),
        revision: revision === tutorialRevision ? 'tutorial' : revision,
      }),
    );
  const checkOptions: CheckOptions = {
    url,
    checkpoint: options.checkpoint,
    credentials,
    config,
    ...(target.kind === 'project' ? { project: { dir: target.dir } } : {}),
  };
  const report =
    revision === tutorialRevision
      ? await checkServer(checkOptions)
      : await checkServer(
          { ...checkOptions, revision },
          (await import('../check/revision-2026/check-list.ts')).revision2026CheckList,
          revision2026LineOrder,
        );

  // The lines are printed even when the report cannot be sent: they say what to fix.
  let sent: string | undefined;
  let reportError: unknown;
  if (options.report) {
    try {
      sent = await sendReport(config, report);
    } catch (error) {
      reportError = error;
    }
  }

  if (options.json) {
    // For machines, in one language whatever the learner's: the lines' words are formatted here, in English.
    const { login: _secret, ...printable } = report;
    console.log(withLocale('en', () => JSON.stringify({ ...printable, ...(sent ? { reportedTo: sent } : {}) }, null, 2)));
  } else {
    for (const result of report.results) console.log(formatLine(result, report));
    const failed = report.results.filter(({ status }) => status === 'fail').length;
    const passed =
      report.revision === tutorialRevision
        ? t('check.summary.passed-checkpoint', { checkpoint: String(report.checkpoint) })
        : t('check.summary.passed-revision', { revision: report.revision });
    console.log(failed === 0 ? passed : t('check.summary.failed', { count: failed, command: againCommand(target, report) }));
    if (sent) console.log(t('check.summary.reported', { url: sent }));
  }
  if (reportError) throw reportError;
  return report.passed ? 0 : 1;
}

function resolveTarget(config: LabConfig, argument: string | undefined): CheckTarget {
  if (argument === undefined) return { kind: 'lab', url: config.server.url };
  if (existsSync(argument) && statSync(argument).isDirectory()) {
    const dir = path.resolve(argument);
    return { kind: 'project', url: `http://localhost:${readLearnerPort(dir)}`, dir };
  }
  if (!/^https?:\/\/[^/]/.test(argument) || !URL.canParse(argument)) {
    throw new LabError('ERR_USAGE', t('check.error.not-url-nor-folder', { argument }));
  }
  return { kind: 'url', url: argument };
}

/** The lab's settings with the project's tab (LAB_PROVIDER in DIR/.env) when the environment names none. */
function withProjectTab(config: LabConfig, target: CheckTarget): { config: LabConfig; tabSource: TabSource } {
  const projectTab = target.kind === 'project' ? readLearnerProvider(target.dir) : undefined;
  if (projectTab === undefined || projectTab === config.provider.kind || config.settings.LAB_PROVIDER !== undefined)
    return { config, tabSource: 'environment' };
  return { config: withSettings(config, { LAB_PROVIDER: projectTab }), tabSource: 'project' };
}

/**
 * After the first line, for the OIDC and OAuth 2 tabs only (Keycloak's is the tutorial's, and
 * its first line stays as it was): whose sign-in, and where LAB_PROVIDER came from.
 */
function describeTab(config: LabConfig, target: CheckTarget, source: TabSource): string {
  const { kind, issuer } = config.provider;
  if (kind === 'keycloak') return '';
  const from =
    source === 'project' && target.kind === 'project'
      ? t('check.tab.from-project', { env: projectEnvPath(target.dir) })
      : `LAB_PROVIDER=${kind}`;
  return tNamed('check.tab.signing-in-at', { name: providerName(config.provider), issuer, from });
}

/** The first line: which server is checked, so that nobody takes the lab's own for theirs. */
function describeTarget(target: CheckTarget): string {
  switch (target.kind) {
    case 'lab':
      return t('check.target.lab', { url: target.url });
    case 'project':
      return t('check.target.project', { url: target.url, env: projectEnvPath(target.dir) });
    case 'url':
      return t('check.target.url', { url: target.url });
  }
}

/** The same check again, for the last line: the same server, the same checkpoint or revision. */
function againCommand(target: CheckTarget, { checkpoint, revision }: CheckReport): string {
  const argument = target.kind === 'lab' ? '' : ` ${target.kind === 'project' ? shellQuote(target.dir) : target.url}`;
  const flag = revision !== tutorialRevision ? ` --revision ${revision}` : checkpoint === 1 ? ' --checkpoint 1' : '';
  return `npm run lab -- check${argument}${flag}`;
}

/** A result's line for a person, in the active language: its words are formatted now (they are the report's, formatted when read). */
function formatLine({ name, status, detail, diagnosis }: CheckResult, report: CheckReport): string {
  const line = t('check.line-name', { id: name.replace(/[ -]/g, '_'), name });
  if (status === 'pass') return t('check.line.pass', { name: line, detail });
  if (status === 'skip') return t('check.line.skip', { name: line, detail });
  return t('check.line.fail', { name: line, detail, diagnosis: describeDiagnosis(diagnosis!, report.sdk) });
}

/** Sends the result to the room's lab, signed with the student's own token from checkpoint 2. */
async function sendReport(config: LabConfig, report: CheckReport): Promise<string> {
  const url = `${config.classroom.progressUrl}/reports`;
  if (!report.login) {
    throw new LabError('ERR_NOTHING_TO_REPORT', tNamed('check.error.nothing-to-report', { name: providerName(config.provider) }), {
      hint: t('check.error.nothing-to-report.hint'),
    });
  }
  const body: ProgressReport = {
    username: report.login.username,
    checkpoint: report.checkpoint,
    passed: report.passed,
    results: report.results.map(({ name, status, diagnosis }) => ({ name, status, ...(diagnosis ? { diagnosis: diagnosis.id } : {}) })),
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${report.login.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new LabError('ERR_NOT_RUNNING', t('check.error.room-not-answering', { url }), {
      hint: t('check.error.room-not-answering.hint'),
    });
  }
  if (!response.ok) {
    const { error_description: reason } = (await response.json().catch(() => ({}))) as { error_description?: string };
    throw new LabError(
      'ERR_REPORT_REFUSED',
      t('check.error.report-refused', { status: String(response.status), reason: reason === undefined ? 'none' : quote(String(reason)) }),
    );
  }
  return config.classroom.progressUrl;
}
