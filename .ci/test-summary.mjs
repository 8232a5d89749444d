// Prints one line for a Playwright run from its JSON report: passed, failed, flaky, skipped and
// the wall time, and appends it to the run's summary file. A flaky test (one that passed only on
// retry) is counted apart and, with failOnFlakyTests, has already failed the run. Errors outside
// any test (global setup, a spec that does not load) are named, since they leave every count at 0.
// Usage: node .ci/test-summary.mjs LABEL REPORT.json SUMMARY_FILE
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const [label, reportPath, summaryPath] = process.argv.slice(2);
let line;
if (!existsSync(reportPath)) {
  line = `${label}: no report (the run did not get as far as its tests)`;
} else {
  const { stats, errors = [] } = JSON.parse(readFileSync(reportPath, 'utf8'));
  line = `${label}: ${stats.expected} passed, ${stats.unexpected} failed, ${stats.flaky} flaky, ${stats.skipped} skipped (${Math.round(stats.duration / 1000)} s)`;
  if (errors.length > 0) {
    const first = String(errors[0].message ?? errors[0].value ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((text) => text.trim() !== '') ?? '';
    line += `; ${errors.length} error(s) outside the tests, the first: ${first.trim().slice(0, 300)}`;
  }
}
console.log(`ci: ${line}`);
appendFileSync(summaryPath, `${line}\n`);
