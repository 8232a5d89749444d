/**
 * What a bench experiment is: a name (`--only` takes it), a `run` that measures and returns its
 * rows, and nothing else. The runner (lab/commands/bench.ts) orders, skips, shows progress and
 * writes the report (report.ts). A new experiment is one file in experiments/ and one line there.
 *
 * Load comes from autocannon in a process of its own (load-generator.ts); floors are measured in
 * the same run as what stands on them, side by side (comparison.ts).
 */
import type { LabConfig } from '../../core/config.ts';
import type { StopList } from '../../core/stop-list.ts';
import type { BenchServers } from './bench-servers.ts';
import type { ReportSection } from './report.ts';

export interface BenchOptions {
  runs: number;
  students: number;
  callsPerStudent: number;
  concurrency: number;
  loadDurationMs: number;
  /** How long the classroom waits after its load before it weighs the server again. */
  settleMs: number;
  skipTests: boolean;
  /** One experiment's name: only that one runs. */
  only: string | undefined;
}

/** Ports of the bench's own (the lab's + 900 and the ones after it), so a running lab is not disturbed. */
export interface BenchPorts {
  keycloak: number;
  management: number;
  /** The whoami server `lab up` starts, and the tutorial-mode one the experiments share. */
  whoami: number;
  specWhoami: number;
  /** Bare express: spec mode's floor. */
  expressFloor: number;
  /** The MCP SDK without auth: the step between bare express and spec mode. */
  mcpSdkStep: number;
  pythonWhoami: number;
  /** Bare Starlette: the Python server's second floor. */
  starletteFloor: number;
  /** The classroom's own tutorial-mode server. */
  classroomWhoami: number;
}

export function benchPorts(config: LabConfig): BenchPorts {
  const whoami = config.server.port + 900;
  return {
    keycloak: config.keycloak.port + 900,
    management: config.keycloak.managementPort + 900,
    whoami,
    specWhoami: whoami + 1,
    expressFloor: whoami + 2,
    mcpSdkStep: whoami + 3,
    pythonWhoami: whoami + 4,
    starletteFloor: whoami + 5,
    classroomWhoami: whoami + 6,
  };
}

export interface BenchContext {
  readonly config: LabConfig;
  readonly options: BenchOptions;
  readonly ports: BenchPorts;
  /** The Keycloak and servers experiments share, each started on first use. */
  readonly servers: BenchServers;
  /** What an experiment starts goes here; it is stopped when the bench ends, however it ends. */
  readonly stops: StopList;
}

export interface ExperimentResult {
  /** Its part of BENCHMARKS.md. */
  section: ReportSection;
  /** Its numbers in brief, printed once it has run. */
  summary: string[];
  /** Numbers that mean the lab is broken (errors under load): the report is written, then the bench fails. */
  failure?: string;
}

export interface BenchExperiment {
  /** What `--only` takes: kebab-case. */
  readonly name: string;
  /** The progress line while it runs: "measuring <this>". */
  readonly measuring: string;
  /** Why it does not run with these options (`--skip-tests`), if it does not. */
  skippedBecause?(options: BenchOptions): string | undefined;
  run(bench: BenchContext): Promise<ExperimentResult>;
}
