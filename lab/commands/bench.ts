import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { StopList } from '../../core/stop-list.ts';
import { pickJavaRuntime } from '../keycloak/java-runtime.ts';
import { step } from '../progress.ts';
import { BenchServers } from '../bench/bench-servers.ts';
import { benchPorts, type BenchContext, type BenchExperiment, type BenchOptions, type ExperimentResult } from '../bench/experiment.ts';
import { classroom } from '../bench/experiments/classroom.ts';
import { pythonServer } from '../bench/experiments/python-server.ts';
import { specMode } from '../bench/experiments/spec-mode.ts';
import { startup } from '../bench/experiments/startup.ts';
import { testCommand } from '../bench/experiments/test-command.ts';
import { tutorialMode } from '../bench/experiments/tutorial-mode.ts';
import { benchmarksPath, writeReport } from '../bench/report.ts';
import { useLocale } from '../../core/messages.ts';

/** In the order they run and appear in BENCHMARKS.md; the load experiments share one Keycloak and its servers. */
const experiments: readonly BenchExperiment[] = [startup, testCommand, tutorialMode, specMode, pythonServer, classroom];

/**
 * `lab bench`: measures the lab on this machine and writes BENCHMARKS.md, one section per
 * experiment (`--only NAME`: that one). Every loop is bounded in count and time, and all traffic
 * stays on localhost.
 */
export async function bench(config: LabConfig, options: BenchOptions): Promise<number> {
  // A maintainer's tool whose report (BENCHMARKS.md) is committed: it speaks English, as the report does.
  useLocale('en');
  const selected = selectExperiments(options);
  const java = pickJavaRuntime(config.keycloak.version);
  const stops = new StopList();
  const ports = benchPorts(config);
  const context: BenchContext = { config, options, ports, servers: new BenchServers(config, ports, stops), stops };
  const results: ExperimentResult[] = [];
  try {
    for (const experiment of selected) {
      const result = await runExperiment(experiment, context);
      if (result) results.push(result);
    }
  } catch (error) {
    await stops.stopAllAfter(error);
  }
  await stops.stopAll();
  writeReport(
    config,
    results.map(({ section }) => section),
    options,
    java.majorVersion,
  );
  const failure = results.find((result) => result.failure)?.failure;
  if (failure) throw new LabError('ERR_BENCH', failure, { hint: `see ${benchmarksPath}` });
  console.log(`Wrote ${benchmarksPath}.`);
  return 0;
}

/**
 * All of them, or the one `--only` names. A name that is none of theirs, or one its own flags skip,
 * is a usage error before anything starts (and before BENCHMARKS.md is written without it).
 */
export function selectExperiments({ only, ...options }: BenchOptions): readonly BenchExperiment[] {
  if (only === undefined) return experiments;
  const experiment = experiments.find(({ name }) => name === only);
  if (!experiment) {
    throw new LabError('ERR_USAGE', `bench: unknown experiment "${only}" (there are: ${experiments.map(({ name }) => name).join(', ')})`);
  }
  const skipped = experiment.skippedBecause?.({ only, ...options });
  if (skipped) throw new LabError('ERR_USAGE', `bench: --only ${only} with ${skipped} leaves nothing to measure`);
  return [experiment];
}

/** One progress line while it runs, its numbers in brief once done; undefined when skipped. */
async function runExperiment(experiment: BenchExperiment, context: BenchContext): Promise<ExperimentResult | undefined> {
  const skipped = experiment.skippedBecause?.(context.options);
  if (skipped) {
    console.log(`- ${experiment.name} skipped (${skipped})`);
    return undefined;
  }
  const result = await step(
    `measuring ${experiment.measuring}`,
    () => experiment.run(context),
    () => `${experiment.name} measured`,
  );
  for (const line of result.summary) console.log(`  ${line}`);
  return result;
}
