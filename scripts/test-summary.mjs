// Adds up Vitest's, Playwright's and the Python runner's JSON reports into the one line CI's
// landing check reads: `tests: N passed, N failed`. Arguments: report files, then the run's exit
// status. A missing report (its stage never ran) counts as one failure when the run failed, so a
// broken type check or lint is never reported as all green.
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const statusArg = args.pop();
const read = (f) => (f && existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null);
let passed = 0;
let failed = 0;
for (const report of args.map(read)) {
  if (!report) continue;
  if ('numPassedTests' in report) {
    // Vitest
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
  } else if (report.stats) {
    // Playwright
    passed += (report.stats.expected ?? 0) + (report.stats.flaky ?? 0);
    failed += report.stats.unexpected ?? 0;
  } else if (typeof report.passed === 'number') {
    // integrations/dask/run_tests.py
    passed += report.passed;
    failed += report.failed ?? 0;
  }
}
if (Number(statusArg) !== 0 && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
