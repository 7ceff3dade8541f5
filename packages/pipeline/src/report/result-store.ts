import { join } from 'node:path';
import { unpackResults } from '@padan/contracts';
import type { FileCompleted, MatchResult, RejectedRow, ResultBatch, ResultTuple, Source } from '@padan/contracts';
import { CleanProfiles } from './clean-profiles.js';
import { RowAccounting } from './row-accounting.js';
import { SortedRuns } from './sorted-runs.js';
import type { SpillBudget } from './sorted-runs.js';

/**
 * A row's latest result as spilled: a flagged result whole (it is listed); `clean` marks a row
 * whose flagged result was replaced by a clean one, so the merge does not list the older flagged
 * one (clean results are only counted, in memory: see RowAccounting).
 */
export type ResultEntry = { readonly flagged: MatchResult } | { readonly clean: true };

const CLEARED: ResultEntry = { clean: true };

export interface FileState {
  readonly period: string;
  readonly source: Source;
  readonly file: string;
  completed: FileCompleted | null;
  /** Ingest announced the file (progress or completion); only announced files count. */
  announced: boolean;
  readonly rows: RowAccounting;
}

/** One period's spilled results and dead letters. */
export interface PeriodRuns {
  readonly results: SortedRuns<ResultEntry>;
  readonly rejected: SortedRuns<RejectedRow>;
}

/**
 * The latest result per record identity, per file. Keeps the result with the highest `seq` (the
 * most evidence), so redelivered or reordered results never change the outcome.
 *
 * A clean result, most of a period, is only counted: its file's `RowAccounting` keeps its clean
 * profile (regency, warnings, checks not done: an id of `cleanProfiles`) in three bytes and a bit
 * a row. A flagged result newer than its row's latest goes to the period's sorted runs, spilled to
 * `dir` once `spillRows` entries are held across all periods, and so does a marker when a clean
 * result replaces a flagged one. A snapshot merges the runs for the flagged rows and reads the
 * clean ones' counts.
 */
export class ResultStore {
  private readonly files = new Map<string, FileState>();
  private readonly periodRuns = new Map<string, PeriodRuns>();
  private readonly budget: SpillBudget;
  private arrival = 0;
  /** Shared by every file: ids in their RowAccounting refer to it. */
  readonly cleanProfiles = new CleanProfiles();

  constructor(
    private readonly dir: () => Promise<string>,
    spillRows: number,
  ) {
    this.budget = { limit: spillRows, held: 0 };
  }

  /** Entries held in memory across periods, waiting to be spilled (bounded by `spillRows` plus one call's input). */
  get held(): number {
    return this.budget.held;
  }

  private fileState(period: string, source: Source, file: string): FileState {
    const k = `${period}/${source}/${file}`;
    let f = this.files.get(k);
    if (!f) this.files.set(k, (f = { period, source, file, completed: null, announced: false, rows: new RowAccounting() }));
    return f;
  }

  /** The runs of a period; their folder is created at the first spill. */
  async runsOf(period: string): Promise<PeriodRuns> {
    return this.runsFor(period, await this.dir());
  }

  private runsFor(period: string, dir: string): PeriodRuns {
    let p = this.periodRuns.get(period);
    if (!p) {
      // The period is checked by the contracts (YYYY-MM), so it is safe in a file name.
      const at = join(dir, `period-${period}`);
      p = { results: new SortedRuns(at, 'results', this.budget), rejected: new SortedRuns(at, 'rejected', this.budget) };
      this.periodRuns.set(period, p);
    }
    return p;
  }

  async addResults(results: readonly MatchResult[]): Promise<void> {
    const dir = await this.dir();
    for (const r of results) {
      const f = this.fileState(r.period, r.source, r.file);
      const profile = r.outcome === null ? this.cleanProfiles.idOf(r.regency, r.warnings, r.notChecked) : 0;
      const kept = f.rows.keepResult(r.row, r.seq, profile);
      if (kept === 'stale' || (profile !== 0 && kept !== 'replacedFlagged')) continue;
      const value: ResultEntry = profile === 0 ? { flagged: r } : CLEARED;
      this.runsFor(r.period, dir).results.add({ source: r.source, file: r.file, row: r.row, rank: r.seq, arrival: this.arrival++, value });
    }
    await this.spillIfFull();
  }

  /**
   * The results of one batch, as `addResults` would take them unpacked, but a clean tuple is
   * counted from the tuple itself: only the flagged ones become MatchResult objects (most of a
   * period is clean, and an object per result was most of report's garbage).
   */
  async addResultBatch(b: ResultBatch): Promise<void> {
    const dir = await this.dir();
    const f = this.fileState(b.period, b.source, b.file);
    const runs = this.runsFor(b.period, dir).results;
    let flagged: ResultTuple[] | null = null;
    const arrivals: number[] = [];
    for (const t of b.results) {
      const [row, seq, , , , outcome, , , warnings, , , regency, notChecked] = t;
      const profile = outcome === null ? this.cleanProfiles.idOf(regency, warnings, notChecked) : 0;
      const kept = f.rows.keepResult(row, seq, profile);
      if (kept === 'stale') continue;
      if (profile === 0) {
        // Unpacked below; the arrival is taken now, in the batch's order, as addResults would.
        (flagged ??= []).push(t);
        arrivals.push(this.arrival++);
      } else if (kept === 'replacedFlagged') runs.add({ source: b.source, file: b.file, row, rank: seq, arrival: this.arrival++, value: CLEARED });
    }
    if (flagged !== null) {
      const results = unpackResults({ ...b, results: flagged });
      for (let i = 0; i < results.length; i++) {
        const r = results[i] as MatchResult;
        runs.add({ source: r.source, file: r.file, row: r.row, rank: r.seq, arrival: arrivals[i] as number, value: { flagged: r } });
      }
    }
    await this.spillIfFull();
  }

  /**
   * Forgets a period's results, kept and spilled (not its dead letters nor its files' counts of
   * rows read): a rebuilt match state has begun publishing every result of the period again.
   */
  async resetResults(period: string): Promise<void> {
    for (const f of this.files.values()) if (f.period === period) f.rows.resetResults();
    // Cleared runs take new entries as before (clear empties its buffer and deletes its files).
    await this.periodRuns.get(period)?.results.clear();
  }

  /** A redelivered dead letter replaces the earlier one (the last to arrive is listed). */
  async addRejected(rows: readonly RejectedRow[]): Promise<void> {
    const dir = await this.dir();
    for (const r of rows) {
      this.fileState(r.period, r.source, r.file).rows.keepRejected(r.row);
      const arrival = this.arrival++;
      this.runsFor(r.period, dir).rejected.add({ source: r.source, file: r.file, row: r.row, rank: arrival, arrival, value: r });
    }
    await this.spillIfFull();
  }

  private async spillIfFull(): Promise<void> {
    if (this.budget.held < this.budget.limit) return;
    for (const p of this.periodRuns.values()) {
      await p.results.spill();
      await p.rejected.spill();
    }
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

  /** Removes every run file. */
  async clear(): Promise<void> {
    for (const p of this.periodRuns.values()) {
      await p.results.clear();
      await p.rejected.clear();
    }
  }
}

/** Counts of one file: every row read is clean, flagged or rejected. */
export function fileCounts(f: FileState): { rowsRead: number | null; clean: number; flagged: number; rejected: number; accounted: boolean } {
  const flagged = f.rows.flagged;
  const clean = f.rows.results - flagged;
  const rejected = f.rows.rejected;
  const rowsRead = f.completed?.rowsRead ?? null;
  return { rowsRead, clean, flagged, rejected, accounted: rowsRead !== null && rowsRead === clean + flagged + rejected };
}
