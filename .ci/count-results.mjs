// Prints "N passed, M failed" from vitest's JSON report (the last line CI reads).
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.vitest-results.json';
if (!existsSync(path)) {
  console.log(`no test report at ${path}: the test run did not finish`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const r = JSON.parse(readFileSync(path, 'utf8'));
// Suites that failed to load count as failures too, or a broken file would pass silently.
const brokenSuites = (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
const passed = r.numPassedTests ?? 0;
const failed = (r.numFailedTests ?? 0) + brokenSuites;
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
if (skipped > 0) console.log(`${skipped} skipped or todo tests: the suite must not skip silently`);
console.log(`${passed} passed, ${failed + skipped} failed`);
process.exit(failed + skipped > 0 ? 1 : 0);
