// Adds up Vitest's and Playwright's JSON reports into the one line CI's landing check reads:
// `tests: N passed, N failed`. A missing report (its stage never ran) counts as one failure
// when the run failed, so a broken type check or lint is never reported as all green.
import { existsSync, readFileSync } from 'node:fs';

const [unitFile, e2eFile, statusArg] = process.argv.slice(2);
const read = (f) => (f && existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null);
let passed = 0;
let failed = 0;
const unit = read(unitFile);
if (unit) {
  passed += unit.numPassedTests ?? 0;
  failed += unit.numFailedTests ?? 0;
}
const e2e = read(e2eFile);
if (e2e?.stats) {
  passed += (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0);
  failed += e2e.stats.unexpected ?? 0;
}
if (Number(statusArg) !== 0 && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
