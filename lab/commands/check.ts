import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { describeDiagnosis } from '../check/diagnoses.ts';
import type { CheckReport, CheckResult } from '../check/check.ts';
import { checkServer } from '../check/check-server.ts';
import type { ProgressReport } from '../classroom/progress-server.ts';

export interface CheckCommandOptions {
  url: string | undefined;
  checkpoint: 1 | 2;
  username: string | undefined;
  password: string | undefined;
  json: boolean;
  report: boolean;
}

/**
 * `lab check [URL]`: the tutorial's checkpoints against the server at URL (default: the lab's
 * whoami server), one line each, with a diagnosis for each failure; `--json` for machines;
 * `--report` sends the result to the room's lab (LAB_PUBLIC_HOST). Exit 0 only when every
 * checkpoint up to the expected one passed.
 */
export async function check(config: LabConfig, options: CheckCommandOptions): Promise<number> {
  const url = options.url ?? config.server.url;
  if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
    throw new LabError('ERR_USAGE', `"${url}" is not a URL (e.g. http://localhost:3001)`);
  }
  const credentials = {
    username: options.username ?? config.user.username,
    password: options.password ?? (options.username === undefined ? config.user.password : undefined) ?? '',
  };
  if (options.checkpoint === 2 && credentials.password === '') {
    throw new LabError('ERR_USAGE', `--user ${credentials.username} needs --password too (the one on your handout)`);
  }
  const report = await checkServer({ url, checkpoint: options.checkpoint, credentials, config });

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
    console.log(
      failed === 0
        ? `All checks up to checkpoint ${report.checkpoint} passed.`
        : `${failed} check${failed === 1 ? '' : 's'} failed; fix ${failed === 1 ? 'it' : 'them'} and run \`npm run lab -- check\` again.`,
    );
    if (sent) console.log(`Reported to ${sent}.`);
  }
  if (reportError) throw reportError;
  return report.passed ? 0 : 1;
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
      'Nothing to report with: the check did not get as far as signing in at Keycloak (checkpoint 2)',
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
    throw new LabError('ERR_REPORT_REFUSED', `The room's lab refused the report (HTTP ${response.status}): ${reason ?? 'no reason given'}`);
  }
  return config.classroom.progressUrl;
}
