/**
 * The bench's report and its choice of experiments, without measuring anything: what BENCHMARKS.md
 * looks like for given numbers, and `--only` with a name that is not an experiment's.
 */
import { readFileSync } from 'node:fs';
import { benchCommand, benchmarksPath, renderReport } from '../../lab/bench/report.ts';
import type { BenchOptions } from '../../lab/bench/experiment.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';
import { expect, test } from '@playwright/test';

const options: BenchOptions = {
  runs: 2,
  students: 100,
  callsPerStudent: 5,
  concurrency: 100,
  loadDurationMs: 10_000,
  settleMs: 60_000,
  skipTests: true,
  only: undefined,
};

test('the report: how it was made, on which machine, then a table per experiment with its notes', () => {
  const report = renderReport({
    options,
    keycloakVersion: '26.2.4',
    machine: 'AMD EPYC, 2 cores',
    date: new Date('2026-11-27T12:00:00Z'),
    sections: [
      {
        heading: 'Start-up',
        columns: ['what', 'run 1', 'median'],
        rows: [['bare', '13.7 s', '13.7 s']],
        notes: ['Ratio lab / bare: **1.27×**.'],
      },
      { heading: 'The test command', columns: ['command', 'wall time'], rows: [['`npm test`', '135.9 s']] },
    ],
  });

  expect(report).toBe(
    [
      '# Benchmarks',
      '',
      'Written by `npm run bench -- --runs 2 --students 100 --calls 5 --concurrency 100 --duration-s 10 --settle-s 60 --skip-tests` on 2026-11-27.',
      'Machine: AMD EPYC, 2 cores. Keycloak 26.2.4 from its distribution.',
      'Every figure is a ratio against its floor, measured in the same run, side by side. The load generator (autocannon) runs in a process of its own,',
      'on the same machine as Keycloak and the servers, so it takes its share of the cores. Any error under load fails the run.',
      '',
      '## Start-up',
      '',
      '| what | run 1 | median |',
      '| --- | --- | --- |',
      '| bare | 13.7 s | 13.7 s |',
      '',
      'Ratio lab / bare: **1.27×**.',
      '',
      '## The test command',
      '',
      '| command | wall time |',
      '| --- | --- |',
      '| `npm test` | 135.9 s |',
      '',
    ].join('\n'),
  );
});

test('a report of one experiment says so in its command', () => {
  expect(benchCommand({ ...options, skipTests: false, only: 'spec-mode' })).toBe(
    'npm run bench -- --runs 2 --students 100 --calls 5 --concurrency 100 --duration-s 10 --settle-s 60 --only spec-mode',
  );
});

test("`bench --only` with a name that is no experiment's: one line naming the experiments, and nothing measured", async () => {
  const result = await runLab(['bench', '--only', 'speed']);

  expect(result.exitCode).toBe(1);
  expect(isOneLineError(result.stderr), result.stderr).toBe(true);
  expect(result.stderr).toContain(
    'bench: unknown experiment "speed" (there are: startup, test-command, tutorial-mode, spec-mode, python, classroom)',
  );
});

test('`bench --only test-command --skip-tests`: one line, and BENCHMARKS.md left as it is', async () => {
  const before = readFileSync(benchmarksPath, 'utf8');

  const result = await runLab(['bench', '--only', 'test-command', '--skip-tests']);

  expect(result.exitCode).toBe(1);
  expect(isOneLineError(result.stderr), result.stderr).toBe(true);
  expect(result.stderr).toContain('bench: --only test-command with --skip-tests leaves nothing to measure');
  expect(readFileSync(benchmarksPath, 'utf8')).toBe(before);
});
