import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestSnapshot, SnapshotError } from './snapshot-folder.js';

/** The parts of summary.json the guardrails read. */
export interface SummaryCounts {
  readonly period: string;
  readonly files: readonly { program: string; source_file: string }[];
  readonly programs: readonly { program: string; clean: number; flagged: number; outcomes: Record<string, number> }[];
}

/**
 * Where a snapshot keeps summary.json, and which snapshot of a period is current: the one place
 * the guardrails know the snapshot layout (today flat in `snapshots/period=P/date=D/`; issue 9
 * moves it under `dashboard/` and adds a `latest.json` pointer: switch it here).
 */
export function summaryOf(snapshotDir: string): SummaryCounts {
  return JSON.parse(readFileSync(join(snapshotDir, 'summary.json'), 'utf8')) as SummaryCounts;
}

/** summary.json of the current snapshot of `period` under `--out`, or null when there is none (or it is incomplete). */
export async function currentSummary(outDir: string, period: string): Promise<SummaryCounts | null> {
  try {
    return summaryOf((await latestSnapshot(outDir, period)).dir);
  } catch (e) {
    if (e instanceof SnapshotError) return null;
    throw e;
  }
}
