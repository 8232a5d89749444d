/**
 * What every load experiment does: load each target in turn with the same load (same concurrency,
 * duration and count bound) in the same run, weigh its process before and after, and report each
 * target next to its floor as a ratio. Any error under load fails the run; a ratio under its
 * target is reported, not failed: the bench is where the numbers live.
 */
import type { BenchOptions, ExperimentResult } from './experiment.ts';
import { describeErrors, generateLoad, type LoadResult, type LoadSpec } from './load-generator.ts';
import { residentMemoryMiB } from './process-memory.ts';
import type { ReportSection } from './report.ts';

export interface LoadTarget {
  /** The row's name in BENCHMARKS.md: "Keycloak's userinfo endpoint, called directly (the floor)". */
  label: string;
  /** Short, for ratios and the summary: "userinfo". */
  name: string;
  /** The process whose resident memory the row reports. */
  pid: number;
  /** Built just before its load runs, so that a token fetched for it is fresh (Keycloak's last 5 minutes). */
  load: () => Promise<TargetLoad>;
}

export type TargetLoad = Pick<LoadSpec, 'url' | 'method' | 'headers' | 'body' | 'expect'>;

export interface MeasuredTarget extends LoadTarget {
  result: LoadResult;
  rssBeforeMiB: number;
  rssAfterMiB: number;
}

/** A ratio the report shows: `subject` req/s over `floor` req/s, and the least it should be. */
export interface Ratio {
  subject: string;
  floor: string;
  target?: number;
}

export async function measureTargets(targets: readonly LoadTarget[], options: BenchOptions): Promise<MeasuredTarget[]> {
  const measured: MeasuredTarget[] = [];
  for (const target of targets) {
    const rssBeforeMiB = residentMemoryMiB(target.pid);
    const result = await generateLoad({
      ...(await target.load()),
      connections: options.concurrency,
      durationMs: options.loadDurationMs,
      maxRequests: maxRequestsPerLoad,
    });
    measured.push({ ...target, result, rssBeforeMiB, rssAfterMiB: residentMemoryMiB(target.pid) });
  }
  return measured;
}

/** "100 clients at once, 10 s each": the load every target of an experiment gets. */
export function describeLoad({ concurrency, loadDurationMs }: BenchOptions): string {
  return `${concurrency} clients at once, ${loadDurationMs / 1000} s each, autocannon in a process of its own`;
}

/** The count bound of one load: far above what this machine serves in the longest duration. */
const maxRequestsPerLoad = 2_000_000;

export function ratioOf(measured: readonly MeasuredTarget[], { subject, floor }: Ratio): number {
  const requestsPerSecond = (name: string) => {
    const row = measured.find((target) => target.name === name);
    if (!row) throw new TypeError(`No measured target named ${name}`);
    return row.result.requestsPerSecond;
  };
  return requestsPerSecond(subject) / requestsPerSecond(floor);
}

export function describeRatio(measured: readonly MeasuredTarget[], ratio: Ratio): string {
  const value = ratioOf(measured, ratio);
  const target = ratio.target === undefined ? '' : ` (target ≥ ${ratio.target}×${value >= ratio.target ? ', met' : ', **not met**'})`;
  return `${ratio.subject} / ${ratio.floor}: **${value.toFixed(2)}×**${target}`;
}

export const loadColumns = ['what', 'requests', 'req/s', 'p50', 'p99', 'errors', 'RSS before', 'RSS after'];

export function loadRow({ label, result, rssBeforeMiB, rssAfterMiB }: MeasuredTarget): string[] {
  return [
    label,
    String(result.requests),
    result.requestsPerSecond.toFixed(result.requestsPerSecond < 100 ? 1 : 0),
    `${result.p50Ms.toFixed(1)} ms`,
    `${result.p99Ms.toFixed(1)} ms`,
    String(result.errors),
    `${rssBeforeMiB.toFixed(0)} MiB`,
    `${rssAfterMiB.toFixed(0)} MiB`,
  ];
}

/** The experiment's result: a table of its targets, its ratios under it, and a failure if any load had errors. */
export function comparisonResult(
  heading: string,
  measured: readonly MeasuredTarget[],
  ratios: readonly Ratio[],
  notes: readonly string[] = [],
): ExperimentResult {
  const section: ReportSection = {
    heading,
    columns: loadColumns,
    rows: measured.map(loadRow),
    notes: [`${ratios.map((ratio) => describeRatio(measured, ratio)).join('; ')}.`, ...notes],
  };
  const failed = measured.filter(({ result }) => result.errors > 0);
  return {
    section,
    summary: [
      ...measured.map(
        ({ name, result }) =>
          `${name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ${result.errors} errors`,
      ),
      ...ratios.map((ratio) => describeRatio(measured, ratio).replaceAll('**', '')),
    ],
    failure:
      failed.length > 0
        ? `Errors under load: ${failed.map(({ name, result }) => `${name} ${describeErrors(result)}`).join('; ')} (must be 0)`
        : undefined,
  };
}
