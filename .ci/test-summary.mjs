// Prints one line for a Playwright run from its JSON report: passed, failed, flaky, skipped and
// the wall time, and appends it to the run's summary file; appends the run's ten slowest tests,
// with their seconds, to SUMMARY_FILE.slowest. A flaky test (one that passed only on retry) is
// counted apart and, with failOnFlakyTests, has already failed the run. Errors outside any test
// (global setup, a spec that does not load) are named, since they leave every count at 0.
// Usage: node .ci/test-summary.mjs LABEL REPORT.json SUMMARY_FILE [SLOWEST_COUNT, default 10]
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const [label, reportPath, summaryPath, slowestCount = '10'] = process.argv.slice(2);
let line;
const slowest = [];
if (!existsSync(reportPath)) {
  line = `${label}: no report (the run did not get as far as its tests)`;
} else {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const { stats, errors = [] } = report;
  line = `${label}: ${stats.expected} passed, ${stats.unexpected} failed, ${stats.flaky} flaky, ${stats.skipped} skipped (${Math.round(stats.duration / 1000)} s)`;
  if (errors.length > 0) {
    const first =
      stripVTControlCharacters(String(errors[0].message ?? errors[0].value ?? ''))
        .split('\n')
        .find((text) => text.trim() !== '') ?? '';
    line += `; ${errors.length} error(s) outside the tests, the first: ${first.trim().slice(0, 300)}`;
  }
  const runs = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        for (const result of test.results)
          runs.push({ seconds: result.duration / 1000, title: [...titles, spec.title].join(' › '), file: spec.file, retry: result.retry });
      }
    }
    for (const child of suite.suites ?? [])
      walk(
        child,
        suite.title && !suite.title.endsWith('.ts') ? [...titles, child.title] : [child.title].filter((title) => !title.endsWith('.ts')),
      );
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  runs.sort((a, b) => b.seconds - a.seconds);
  for (const run of runs.slice(0, Number(slowestCount))) {
    slowest.push(
      `${label}: ${run.seconds.toFixed(1).padStart(5)} s  ${run.file} › ${run.title}${run.retry > 0 ? ` (retry #${run.retry})` : ''}`,
    );
  }
}
console.log(`ci: ${line}`);
appendFileSync(summaryPath, `${line}\n`);
if (slowest.length > 0) appendFileSync(`${summaryPath}.slowest`, `${slowest.join('\n')}\n`);
