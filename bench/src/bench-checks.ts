import { writeFileSync } from 'node:fs';

/** A check CI counts: no time is asserted, only completion, accounting, identity and memory bounds. */
export interface BenchCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Written for .ci/count-results.mjs, which adds these to the vitest counts of the final
 * "N passed, M failed" line (same shape as vitest's JSON report's totals).
 */
export function writeChecks(path: string, checks: readonly BenchCheck[]): void {
  const failed = checks.filter((c) => !c.ok).length;
  writeFileSync(path, `${JSON.stringify({ numPassedTests: checks.length - failed, numFailedTests: failed, checks }, null, 2)}\n`);
}
