import type { Check, FileCompleted, MatchResult, RejectedRow, Source, Warning } from '@padan/contracts';

/** What the summary needs of a clean record; shared between records with equal content. */
export interface CleanInfo {
  readonly regency: string | null;
  readonly warnings: readonly Warning[];
  readonly notChecked: readonly Check[];
}

type Entry = { seq: number; flagged: MatchResult } | { seq: number; clean: CleanInfo };

export interface FileState {
  readonly period: string;
  readonly source: Source;
  readonly file: string;
  completed: FileCompleted | null;
  readonly results: Map<number, Entry>;
  readonly rejected: Map<number, RejectedRow>;
}

/**
 * The latest result per record identity, per file. Keeps the result with the highest `seq` (the
 * most evidence), so redelivered or reordered results never change the outcome. Clean results are
 * kept as small shared objects: most records are clean, and a snapshot needs only their counts.
 */
export class ResultStore {
  private readonly files = new Map<string, FileState>();
  private readonly interned = new Map<string, CleanInfo>();

  private fileState(period: string, source: Source, file: string): FileState {
    const k = `${period}/${source}/${file}`;
    let f = this.files.get(k);
    if (!f) this.files.set(k, (f = { period, source, file, completed: null, results: new Map(), rejected: new Map() }));
    return f;
  }

  addResults(results: readonly MatchResult[]): MatchResult[] {
    const changed: MatchResult[] = [];
    for (const r of results) {
      const f = this.fileState(r.period, r.source, r.file);
      const prev = f.results.get(r.row);
      if (prev && prev.seq >= r.seq) continue;
      if (r.outcome === null) {
        const sig = `${r.regency}|${r.warnings.join(',')}|${r.notChecked.join(',')}`;
        let info = this.interned.get(sig);
        if (!info) this.interned.set(sig, (info = { regency: r.regency, warnings: r.warnings, notChecked: r.notChecked }));
        f.results.set(r.row, { seq: r.seq, clean: info });
      } else {
        f.results.set(r.row, { seq: r.seq, flagged: r });
        changed.push(r);
      }
    }
    return changed;
  }

  addRejected(rows: readonly RejectedRow[]): void {
    for (const r of rows) this.fileState(r.period, r.source, r.file).rejected.set(r.row, r);
  }

  addCompleted(fc: FileCompleted): void {
    this.fileState(fc.period, fc.source, fc.file).completed = fc;
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
  let clean = 0;
  let flagged = 0;
  for (const e of f.results.values()) {
    if ('flagged' in e) flagged++;
    else clean++;
  }
  const rejected = f.rejected.size;
  const rowsRead = f.completed?.rowsRead ?? null;
  return { rowsRead, clean, flagged, rejected, accounted: rowsRead !== null && rowsRead === clean + flagged + rejected };
}
