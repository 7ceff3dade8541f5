// Prints "N passed, M failed" from vitest's JSON report (the last line CI reads), adding the
// benchmark's checks (bench/out/checks.json, same totals shape) when their path is given.
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.vitest-results.json';
const benchPath = process.argv[3];
if (!existsSync(path)) {
  console.log(`no test report at ${path}: the test run did not finish`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const r = JSON.parse(readFileSync(path, 'utf8'));
// Suites that failed to load count as failures too, or a broken file would pass silently.
const brokenSuites = (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
let passed = r.numPassedTests ?? 0;
let failed = (r.numFailedTests ?? 0) + brokenSuites;
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
if (skipped > 0) console.log(`${skipped} skipped or todo tests: the suite must not skip silently`);
if (benchPath !== undefined) {
  if (!existsSync(benchPath)) {
    // The benchmark stopped before writing its checks: one failure, not zero checks.
    console.log(`no benchmark checks at ${benchPath}: pnpm bench did not finish`);
    failed += 1;
  } else {
    const b = JSON.parse(readFileSync(benchPath, 'utf8'));
    for (const c of b.checks ?? []) if (!c.ok) console.log(`bench check failed: ${c.name}: ${c.detail}`);
    passed += b.numPassedTests ?? 0;
    failed += b.numFailedTests ?? 0;
  }
}
console.log(`${passed} passed, ${failed + skipped} failed`);
process.exit(failed + skipped > 0 ? 1 : 0);
