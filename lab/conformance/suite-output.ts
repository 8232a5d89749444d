/**
 * What the conformance suite (@modelcontextprotocol/conformance, pinned) prints, read back: the
 * `=== SUMMARY ===` block (per scenario, checks passed and failed), its baseline verdict
 * (`--expected-failures`: expected, stale and unexpected entries), and the `authorization`
 * command's prompt (the URL to open in a browser, then its callback server). The suite prints for
 * people; these readers keep to the lines it has printed since 0.2.0-alpha, colours stripped.
 * The summary counts no warnings (a SHOULD not met): those are read from the results folder
 * (`-o`), one checks.json per scenario.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ScenarioTally {
  scenario: string;
  passed: number;
  failed: number;
}

export interface SuiteReport {
  scenarios: ScenarioTally[];
  /** The summary's `Total:` line: checks passed and failed (warnings are counted in neither). */
  passed: number;
  failed: number;
  /** Baseline entries that failed, as listed. */
  expected: string[];
  /** Baseline entries that passed: the baseline is stale, the run fails. */
  stale: string[];
  /** Failures the baseline does not list: the run fails. */
  unexpected: string[];
}

/** The baseline sections, by their headings, and the mark of their lines. */
const baselineSections = [
  { heading: 'Expected failures (in baseline):', mark: '~', key: 'expected' },
  { heading: 'Stale baseline entries', mark: '✓', key: 'stale' },
  { heading: 'Unexpected failures (not in baseline):', mark: '✗', key: 'unexpected' },
] as const;

const scenarioLine = /^[✓✗] (\S+): (\d+) passed, (\d+) failed/;
const totalLine = /^Total: (\d+) passed, (\d+) failed/;

/** The report in the suite's output, or undefined when it printed no summary (it crashed, or was stopped). */
export function readSuiteReport(output: string): SuiteReport | undefined {
  const lines = withoutColours(output).split('\n');
  const summaryAt = lines.findLastIndex((line) => line.trim() === '=== SUMMARY ===');
  if (summaryAt === -1) return undefined;
  const report: SuiteReport = { scenarios: [], passed: 0, failed: 0, expected: [], stale: [], unexpected: [] };
  let section: (typeof baselineSections)[number] | undefined;
  let sawTotal = false;
  for (const line of lines.slice(summaryAt + 1)) {
    const scenario = scenarioLine.exec(line);
    const total = totalLine.exec(line);
    const heading = baselineSections.find(({ heading }) => line.startsWith(heading));
    if (heading) section = heading;
    else if (section && line.startsWith(`  ${section.mark} `)) report[section.key].push(line.slice(4).trim());
    else if (line.trim() === '') section = undefined;
    else if (scenario && !section)
      report.scenarios.push({ scenario: scenario[1]!, passed: Number(scenario[2]), failed: Number(scenario[3]) });
    else if (total) {
      report.passed = Number(total[1]);
      report.failed = Number(total[2]);
      sawTotal = true;
    }
  }
  return sawTotal ? report : undefined;
}

export interface AuthorizationPrompt {
  /** The authorization request the suite wants a browser to open. */
  authorizationUrl: URL | undefined;
  /** Its callback server's origin, once it listens (it says so after printing the URL). */
  callbackOrigin: string | undefined;
}

const promptLine = 'Access the following URL in your browser';
const callbackLine = /^Callback server started: (http:\/\/\S+)/;

/** What the `authorization` command has printed so far of its prompt. */
export function readAuthorizationPrompt(output: string): AuthorizationPrompt {
  const lines = withoutColours(output).split('\n');
  const promptAt = lines.findIndex((line) => line.startsWith(promptLine));
  const urlLine = promptAt === -1 ? undefined : lines[promptAt + 1]?.trim();
  const callback = lines.map((line) => callbackLine.exec(line.trim())).find(Boolean);
  return {
    authorizationUrl: urlLine && /^https?:\/\//.test(urlLine) && URL.canParse(urlLine) ? new URL(urlLine) : undefined,
    callbackOrigin: callback?.[1],
  };
}

/**
 * The checks of one status in a results folder, "check-id: message" each, in the order of the
 * scenarios' folders: WARNING (the summary leaves them out), FAILURE (it names no reason).
 */
export function readChecks(resultsDir: string, status: 'WARNING' | 'FAILURE'): string[] {
  let folders: string[];
  try {
    folders = readdirSync(resultsDir).sort();
  } catch {
    return [];
  }
  return folders.flatMap((folder) => {
    let checks: Array<{ id?: unknown; status?: unknown; errorMessage?: unknown }>;
    try {
      checks = JSON.parse(readFileSync(path.join(resultsDir, folder, 'checks.json'), 'utf8'));
    } catch {
      return [];
    }
    return checks
      .filter((check) => check.status === status)
      .map(({ id, errorMessage }) => (typeof errorMessage === 'string' && errorMessage ? `${id}: ${errorMessage}` : String(id)));
  });
}

/** How the suite ended, for a summary: "exited 2", "was stopped after its time limit". */
export function suiteEnd(exitCode: number | undefined): string {
  return exitCode === undefined ? 'was stopped after its time limit' : `exited ${exitCode}`;
}

export function withoutColours(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
  return text.replace(/\u001b\[[0-9;]*m/g, '').replaceAll('\r', '');
}
