/**
 * The conformance runs as a list: each run is a named unit that gets a folder of its own and
 * returns a verdict; this runner only orders them and prints one line each —
 *
 *   conformance server 2026-07-28 (whoami 2026, spec): 94 passed, 39 expected failures, 0 unexpected (7.1 s)
 *
 * — adding where the suite's own output is when a run did not pass.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { formatSeconds } from '../progress.ts';

/** Where `npm run conformance` leaves each run's folder (the tests use their own). */
export const conformanceResultsDir = path.join(repoRoot, 'test-results', 'conformance');

export interface ConformanceRun {
  /** How the summary line names it: "conformance server 2026-07-28 (whoami 2026, spec)". */
  title: string;
  /** Its folder below the results folder: "server-2026-07-28-spec". */
  slug: string;
  /** Runs it; `folder` is empty and its own (the suite's results, the log). */
  run(folder: string): Promise<RunVerdict>;
}

export interface RunVerdict {
  ok: boolean;
  /** "94 passed, 39 expected failures, 0 unexpected", or what went wrong. */
  summary: string;
  /** The suite's own output. */
  logPath: string;
}

export interface RunsOutcome {
  ok: boolean;
  verdicts: Array<RunVerdict & { title: string; durationMs: number }>;
}

export async function runConformance(
  runs: readonly ConformanceRun[],
  { resultsDir, print }: { resultsDir: string; print: (line: string) => void },
): Promise<RunsOutcome> {
  const verdicts: RunsOutcome['verdicts'] = [];
  for (const { title, slug, run } of runs) {
    const folder = path.join(resultsDir, slug);
    // An earlier run's results would mix with this one's.
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const startedAt = performance.now();
    const verdict = await run(folder);
    const durationMs = performance.now() - startedAt;
    print(summaryLine(title, verdict, durationMs));
    verdicts.push({ ...verdict, title, durationMs });
  }
  return { ok: verdicts.every(({ ok }) => ok), verdicts };
}

export function summaryLine(title: string, { ok, summary, logPath }: RunVerdict, durationMs: number): string {
  const line = `${title}: ${summary} (${formatSeconds(durationMs)})`;
  return ok ? line : `${line} — the suite's output: ${path.relative(process.cwd(), logPath) || logPath}`;
}
