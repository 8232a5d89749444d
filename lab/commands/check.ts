import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { withSettings, type LabConfig, type McpRevision } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { describeDiagnosis } from '../check/diagnoses.ts';
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
    throw new LabError('ERR_USAGE', `--user ${credentials.username} needs --password too (the one on your handout)`);
  }
  const { revision } = options;
  if (revision !== tutorialRevision && config.provider.kind !== 'keycloak') {
    throw new LabError(
      'ERR_USAGE',
      `check --revision ${revision} signs in at the lab's Keycloak (its step-up role and scope are Keycloak's): LAB_PROVIDER=${config.provider.kind} has none`,
    );
  }
  // First, which server: the lab's own passes, and must not be mistaken for the learner's.
  if (!options.json)
    console.log(
      `${describeTarget(target)}${describeTab(config, target, tabSource)}${revision === tutorialRevision ? '' : `, against MCP ${revision}`}`,
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
    const { login: _secret, ...printable } = report;
    console.log(JSON.stringify({ ...printable, ...(sent ? { reportedTo: sent } : {}) }, null, 2));
  } else {
    for (const result of report.results) console.log(formatLine(result, report));
    const failed = report.results.filter(({ status }) => status === 'fail').length;
    const passed =
      report.revision === tutorialRevision
        ? `All checks up to checkpoint ${report.checkpoint} passed.`
        : `All checks of MCP ${report.revision} passed.`;
    console.log(
      failed === 0
        ? passed
        : `${failed} check${failed === 1 ? '' : 's'} failed; fix ${failed === 1 ? 'it' : 'them'} and run \`${againCommand(target, report)}\` again.`,
    );
    if (sent) console.log(`Reported to ${sent}.`);
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
    throw new LabError('ERR_USAGE', `"${argument}" is neither a URL (e.g. http://localhost:3002) nor a folder \`lab init\` made`);
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
  const { kind, displayName, issuer } = config.provider;
  if (kind === 'keycloak') return '';
  const from = source === 'project' && target.kind === 'project' ? `LAB_PROVIDER in ${projectEnvPath(target.dir)}` : `LAB_PROVIDER=${kind}`;
  return `, signing in at ${displayName} at ${issuer} (${from})`;
}

/** The first line: which server is checked, so that nobody takes the lab's own for theirs. */
function describeTarget(target: CheckTarget): string {
  switch (target.kind) {
    case 'lab':
      return `Checking the lab's own whoami server at ${target.url} (yours: \`npm run lab -- check DIR\` with the folder \`lab init\` made, or \`npm run lab -- check URL\`)`;
    case 'project':
      return `Checking your server at ${target.url} (PORT in ${projectEnvPath(target.dir)})`;
    case 'url':
      return `Checking the server at ${target.url}`;
  }
}

/** The same check again, for the last line: the same server, the same checkpoint or revision. */
function againCommand(target: CheckTarget, { checkpoint, revision }: CheckReport): string {
  const argument = target.kind === 'lab' ? '' : ` ${target.kind === 'project' ? shellQuote(target.dir) : target.url}`;
  const flag = revision !== tutorialRevision ? ` --revision ${revision}` : checkpoint === 1 ? ' --checkpoint 1' : '';
  return `npm run lab -- check${argument}${flag}`;
}

function formatLine({ name, status, detail, diagnosis }: CheckResult, report: CheckReport): string {
  if (status === 'pass') return `✓ ${name}: ${detail}`;
  if (status === 'skip') return `- ${name}: skipped (${detail})`;
  return `✗ ${name}: ${detail} — ${describeDiagnosis(diagnosis!, report.sdk)}`;
}

/** Sends the result to the room's lab, signed with the student's own token from checkpoint 2. */
async function sendReport(config: LabConfig, report: CheckReport): Promise<string> {
  const url = `${config.classroom.progressUrl}/reports`;
  if (!report.login) {
    throw new LabError(
      'ERR_NOTHING_TO_REPORT',
      `Nothing to report with: the check did not get as far as signing in at ${config.provider.displayName} (checkpoint 2)`,
      {
        hint: 'fix what it says and run the check again',
      },
    );
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
    throw new LabError('ERR_NOT_RUNNING', `The room's lab does not answer at ${url}`, {
      hint: "check LAB_PUBLIC_HOST (the instructor's host name)",
    });
  }
  if (!response.ok) {
    const { error_description: reason } = (await response.json().catch(() => ({}))) as { error_description?: string };
    throw new LabError(
      'ERR_REPORT_REFUSED',
      `The room's lab refused the report (HTTP ${response.status}): ${reason === undefined ? 'no reason given' : quote(String(reason))}`,
    );
  }
  return config.classroom.progressUrl;
}
