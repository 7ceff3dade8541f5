import type { FileCompleted, MatchResult, MismatchEvent, RejectedRow, SnapshotAnnouncement, Source } from '@padan/contracts';
import type { ObjectStore } from '@padan/runtime';
import { mismatchEvent } from './mismatch-events.js';
import { ResultStore, fileCounts } from './result-store.js';
import type { FileState } from './result-store.js';
import type { SnapshotContext } from './snapshot.js';
import { writeSnapshot } from './snapshot.js';

export interface PeriodStatus {
  readonly period: string;
  readonly complete: boolean;
  readonly files: { program: string; file: string; rowsRead: number | null; clean: number; flagged: number; rejected: number; accounted: boolean }[];
}

/**
 * The report stage: materializes the latest result per record and writes snapshots from it.
 * Mismatch events go out once a period's input is completely accounted for, one per flagged
 * record, and again only when a record's finding changes; so dashboards never see the transient
 * results of a period still arriving.
 */
export class ReportStage {
  readonly store = new ResultStore();
  private readonly published = new Map<string, string>();

  onResults(results: readonly MatchResult[]): void {
    this.store.addResults(results);
  }

  onRejected(rows: readonly RejectedRow[]): void {
    this.store.addRejected(rows);
  }

  onFileCompleted(fc: FileCompleted): void {
    this.store.addCompleted(fc);
  }

  /** Ingest started a file (its first progress record): the period waits for it from now on. */
  onAnnounced(period: string, source: Source, file: string): void {
    this.store.announce(period, source, file);
  }

  /** The files ingest announced; a snapshot holds these and nothing else. */
  private announcedFiles(period: string): FileState[] {
    return this.store.filesOf(period).filter((f) => f.announced);
  }

  /** Files of the period with results or dead letters that ingest never announced: stray messages. */
  strays(period: string): { program: Source; file: string; rows: number }[] {
    return this.store
      .filesOf(period)
      .filter((f) => !f.announced)
      .map((f) => ({ program: f.source, file: f.file, rows: f.results.size + f.rejected.size }));
  }

  status(period: string): PeriodStatus {
    const files = this.announcedFiles(period).map((f) => ({ program: f.source, file: f.file, ...fileCounts(f) }));
    const complete = files.length > 0 && files.some((f) => f.program === 'DTKS') && files.every((f) => f.accounted);
    return { period, complete, files };
  }

  /** Events for flagged records not yet published, or whose finding changed since; in key order. */
  pendingEvents(period: string, hashKey: string): MismatchEvent[] {
    const out: MismatchEvent[] = [];
    for (const f of this.announcedFiles(period)) {
      for (const r of f.results.flaggedResults()) {
        const key = `${r.period}/${r.source}/${r.file}#${r.row}`;
        const sig = `${r.reasons.join(';')}|${r.details.join(';')}|${r.suggestedNik !== null}`;
        if (this.published.get(key) === sig) continue;
        this.published.set(key, sig);
        out.push(mismatchEvent(r, hashKey));
      }
    }
    return out;
  }

  snapshot(ctx: SnapshotContext, store: ObjectStore): Promise<SnapshotAnnouncement> {
    return writeSnapshot(this.announcedFiles(ctx.period), ctx, store);
  }
}
