/**
 * One `conformance server` run against a whoami server: every scenario of the revision
 * (`--suite all`: in this suite version the 2026-07-28 ones are still "draft", which the default
 * suite leaves out), through the token proxy, judged against the revision's baseline by the suite.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { McpRevision } from '../../core/config.ts';
import { readBaseline } from './baseline.ts';
import type { ConformanceRun, RunVerdict } from './run.ts';
import { runSuite } from './suite.ts';
import { readSuiteReport, suiteEnd, withoutColours, type SuiteReport } from './suite-output.ts';
import { startTokenProxy } from './token-proxy.ts';

export interface ServerRunOptions {
  /** What the summary line calls the server: "whoami 2026, spec". */
  label: string;
  /** The server's origin: its MCP endpoint is <url>/mcp. */
  serverUrl: string;
  specVersion: McpRevision;
  baselineFile: string;
  /** A token the server takes (asked for when the run starts: tokens live minutes). */
  token: () => Promise<string>;
}

/** Per scenario: the suite's default (30 s) would let a server that never answers hold a run for 20 minutes. */
const scenarioTimeoutMs = 10_000;
/** The whole run: a server that accepts a request and never answers still ends it. */
const runTimeoutMs = 180_000;

export function serverRun(options: ServerRunOptions): ConformanceRun {
  const { label, specVersion, baselineFile } = options;
  return {
    title: `conformance server ${specVersion} (${label})`,
    slug: `server-${specVersion}-${label.replaceAll(/[^a-z0-9]+/gi, '-').toLowerCase()}`,
    run: async (folder) => {
      // A malformed baseline is one line here, not the suite's stack trace.
      readBaseline(baselineFile);
      const proxy = await startTokenProxy({ target: options.serverUrl, token: await options.token() });
      try {
        const result = await runSuite(
          [
            'server',
            ...['--url', `${proxy.url}/mcp`],
            ...['--suite', 'all', '--spec-version', specVersion],
            ...['--expected-failures', baselineFile],
            ...['--timeout', String(scenarioTimeoutMs)],
            ...['-o', path.join(folder, 'results')],
          ],
          { timeoutMs: runTimeoutMs },
        );
        const logPath = path.join(folder, 'conformance.log');
        writeFileSync(logPath, withoutColours(`${result.stdout}${result.stderr ? `\n--- stderr ---\n${result.stderr}` : ''}`));
        return serverVerdict(result.exitCode, readSuiteReport(result.stdout), logPath);
      } finally {
        await proxy.stop();
      }
    },
  };
}

/**
 * The suite's exit code decides (0: every failure is in the baseline, and every entry still
 * fails); its report says what to print.
 */
export function serverVerdict(exitCode: number | undefined, report: SuiteReport | undefined, logPath: string): RunVerdict {
  if (!report) return { ok: false, summary: `the suite ${suiteEnd(exitCode)}, without a summary`, logPath };
  const parts = [`${report.passed} passed`, `${report.expected.length} expected failures`, `${report.unexpected.length} unexpected`];
  if (report.unexpected.length > 0) parts[2] += ` (${report.unexpected.join(', ')})`;
  if (report.stale.length > 0)
    parts.push(`${report.stale.length} stale: now passing, remove from the baseline (${report.stale.join(', ')})`);
  const listed = report.unexpected.length > 0 || report.stale.length > 0;
  if (exitCode !== 0 && !listed) parts.push(`the suite ${suiteEnd(exitCode)}`);
  return { ok: exitCode === 0 && !listed, summary: parts.join(', '), logPath };
}
