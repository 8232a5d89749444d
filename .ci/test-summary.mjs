// Prints one line for a Playwright run from its JSON report: passed, failed, flaky, skipped and
// the wall time, and appends it to the run's summary file. A flaky test (one that passed only on
// retry) is counted apart and, with failOnFlakyTests, has already failed the run.
// Usage: node .ci/test-summary.mjs LABEL REPORT.json SUMMARY_FILE
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const [label, reportPath, summaryPath] = process.argv.slice(2);
let line;
if (!existsSync(reportPath)) {
  line = `${label}: no report (the run did not get as far as its tests)`;
} else {
  const { stats } = JSON.parse(readFileSync(reportPath, 'utf8'));
  line = `${label}: ${stats.expected} passed, ${stats.unexpected} failed, ${stats.flaky} flaky, ${stats.skipped} skipped (${Math.round(stats.duration / 1000)} s)`;
}
console.log(`ci: ${line}`);
appendFileSync(summaryPath, `${line}\n`);
