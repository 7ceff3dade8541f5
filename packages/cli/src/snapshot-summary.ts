import { existsSync, readFileSync } from 'node:fs';
import { snapshotFilePath } from '@padan/pipeline';
import { join } from 'node:path';
import { latestSnapshot, SnapshotError } from './snapshot-folder.js';

/** The parts of summary.json the guardrails read. */
export interface SummaryCounts {
  readonly period: string;
  readonly files: readonly { program: string; source_file: string }[];
  readonly programs: readonly { program: string; clean: number; flagged: number; outcomes: Record<string, number> }[];
}

/** A snapshot folder's summary.json (`dashboard/summary.json`; flat in snapshots written before issue 9). */
export function summaryOf(snapshotDir: string): SummaryCounts {
  const path = join(snapshotDir, snapshotFilePath('summary.json'));
  return JSON.parse(readFileSync(existsSync(path) ? path : join(snapshotDir, 'summary.json'), 'utf8')) as SummaryCounts;
}

/** summary.json of the current snapshot of `period` under `--out` (the one latest.json names), or null when there is none (or it is incomplete). */
export async function currentSummary(outDir: string, period: string): Promise<SummaryCounts | null> {
  try {
    return summaryOf((await latestSnapshot(outDir, period)).dir);
  } catch (e) {
    if (e instanceof SnapshotError) return null;
    throw e;
  }
}
