/**
 * BENCHMARKS.md: a header saying how and where it was measured, then one section per experiment
 * that ran, each a heading, a table and notes under it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, type LabConfig } from '../../core/config.ts';
import type { BenchOptions } from './experiment.ts';
import { describeMachine } from './machine-description.ts';

export const benchmarksPath = path.join(repoRoot, 'BENCHMARKS.md');

export interface ReportSection {
  heading: string;
  columns: string[];
  /** Cells already formatted, units included ("13.7 s"). */
  rows: string[][];
  /** Paragraphs under the table: a ratio, a target. */
  notes?: string[];
}

export function renderSection({ heading, columns, rows, notes = [] }: ReportSection): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    `## ${heading}`,
    '',
    line(columns),
    line(columns.map(() => '---')),
    ...rows.map(line),
    '',
    ...notes.flatMap((note) => [note, '']),
  ];
}

/** The flags the report was measured with, as the command to run again. */
export function benchCommand(options: BenchOptions): string {
  return (
    `npm run bench -- --runs ${options.runs} --students ${options.students} --calls ${options.callsPerStudent} --concurrency ${options.concurrency}` +
    ` --duration-s ${options.loadDurationMs / 1000} --settle-s ${options.settleMs / 1000}` +
    `${options.skipTests ? ' --skip-tests' : ''}${options.only ? ` --only ${options.only}` : ''}`
  );
}

export function renderReport({
  sections,
  options,
  keycloakVersion,
  machine,
  date,
}: {
  sections: ReportSection[];
  options: BenchOptions;
  keycloakVersion: string;
  /** describeMachine's line: CPU, cores, memory, OS, Node, Java. */
  machine: string;
  date: Date;
}): string {
  return [
    '# Benchmarks',
    '',
    `Written by \`${benchCommand(options)}\` on ${date.toISOString().slice(0, 10)}.`,
    `Machine: ${machine}. Keycloak ${keycloakVersion} from its distribution.`,
    'Every figure is a ratio against its floor, measured in the same run, side by side. The load generator (autocannon) runs in a process of its own,',
    'on the same machine as Keycloak and the servers, so it takes its share of the cores. Any error under load fails the run.',
    '',
    ...sections.flatMap(renderSection),
  ].join('\n');
}

export function writeReport(config: LabConfig, sections: ReportSection[], options: BenchOptions, javaMajorVersion: number): void {
  writeFileSync(
    benchmarksPath,
    renderReport({
      sections,
      options,
      keycloakVersion: config.keycloak.version,
      machine: describeMachine(javaMajorVersion),
      date: new Date(),
    }),
  );
}
