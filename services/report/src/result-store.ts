import type { FileCompleted, MatchResult, RejectedRow, Source } from '@padan/contracts';
import { FileResults } from './file-results.js';
import type { CleanInfo } from './file-results.js';

export interface FileState {
  readonly period: string;
  readonly source: Source;
  readonly file: string;
  completed: FileCompleted | null;
  /** Ingest announced the file (progress or completion); only announced files count. */
  announced: boolean;
  readonly results: FileResults;
  readonly rejected: Map<number, RejectedRow>;
}

/**
 * The latest result per record identity, per file. Keeps the result with the highest `seq` (the
 * most evidence), so redelivered or reordered results never change the outcome.
 */
export class ResultStore {
  private readonly files = new Map<string, FileState>();
  private readonly infos: CleanInfo[] = [];
  private readonly infoIndex = new Map<string, number>();

  private fileState(period: string, source: Source, file: string): FileState {
    const k = `${period}/${source}/${file}`;
    let f = this.files.get(k);
    if (!f) this.files.set(k, (f = { period, source, file, completed: null, announced: false, results: new FileResults(this.infos), rejected: new Map() }));
    return f;
  }

  private intern(r: MatchResult): number {
    const sig = `${r.regency}|${r.warnings.join(',')}|${r.notChecked.join(',')}`;
    let i = this.infoIndex.get(sig);
    if (i === undefined) {
      i = this.infos.push({ regency: r.regency, warnings: r.warnings, notChecked: r.notChecked }) - 1;
      this.infoIndex.set(sig, i);
    }
    return i;
  }

  addResults(results: readonly MatchResult[]): void {
    for (const r of results) this.fileState(r.period, r.source, r.file).results.set(r, () => this.intern(r));
  }

  addRejected(rows: readonly RejectedRow[]): void {
    for (const r of rows) this.fileState(r.period, r.source, r.file).rejected.set(r.row, r);
  }

  addCompleted(fc: FileCompleted): void {
    const f = this.fileState(fc.period, fc.source, fc.file);
    f.completed = fc;
    f.announced = true;
  }

  /**
   * Marks a file as announced by ingest (it started publishing the file's rows): from then on the
   * period is complete only once the file is accounted for. Results of a file never announced (a
   * stray message) count for nothing.
   */
  announce(period: string, source: Source, file: string): void {
    this.fileState(period, source, file).announced = true;
  }

  filesOf(period: string): FileState[] {
    return [...this.files.values()]
      .filter((f) => f.period === period)
      .sort((a, b) => (a.source !== b.source ? (a.source < b.source ? -1 : 1) : a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  periods(): string[] {
    return [...new Set([...this.files.values()].map((f) => f.period))].sort();
  }
}

/** Counts of one file: every row read is clean, flagged or rejected. */
export function fileCounts(f: FileState): { rowsRead: number | null; clean: number; flagged: number; rejected: number; accounted: boolean } {
  const flagged = f.results.flaggedCount;
  const clean = f.results.size - flagged;
  const rejected = f.rejected.size;
  const rowsRead = f.completed?.rowsRead ?? null;
  return { rowsRead, clean, flagged, rejected, accounted: rowsRead !== null && rowsRead === clean + flagged + rejected };
}
