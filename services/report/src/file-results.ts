import type { Check, MatchResult, Warning } from '@padan/contracts';

/** What the summary needs of a clean record; shared between records with equal content. */
export interface CleanInfo {
  readonly regency: string | null;
  readonly warnings: readonly Warning[];
  readonly notChecked: readonly Check[];
}

export type ResultEntry = { readonly flagged: MatchResult } | { readonly clean: CleanInfo };

/**
 * The latest result of every row of one file, indexed by row number. Most records are clean and a
 * snapshot only counts them, so a clean row costs eight bytes (its seq and the index of a shared
 * CleanInfo) and only flagged rows keep their whole result.
 */
export class FileResults {
  private seqs = new Uint32Array(1024);
  /** 0: no result yet; n > 0: clean with info n - 1; -1: flagged (in `flagged`). */
  private kinds = new Int32Array(1024);
  private readonly flagged = new Map<number, MatchResult>();
  private rows = 0;

  constructor(private readonly infos: CleanInfo[]) {}

  private grow(row: number): void {
    if (row < this.seqs.length) return;
    const size = Math.max(row + 1, this.seqs.length * 2);
    const seqs = new Uint32Array(size);
    seqs.set(this.seqs);
    const kinds = new Int32Array(size);
    kinds.set(this.kinds);
    this.seqs = seqs;
    this.kinds = kinds;
  }

  /** Keeps `r` if it is newer (higher seq) than what the row has; returns whether it was kept. */
  set(r: MatchResult, cleanInfo: () => number): boolean {
    this.grow(r.row);
    const kind = this.kinds[r.row] as number;
    if (kind !== 0 && (this.seqs[r.row] as number) >= r.seq) return false;
    if (kind === 0) this.rows++;
    this.seqs[r.row] = r.seq;
    if (r.outcome === null) {
      this.kinds[r.row] = cleanInfo() + 1;
      this.flagged.delete(r.row);
    } else {
      this.kinds[r.row] = -1;
      this.flagged.set(r.row, r);
    }
    return true;
  }

  get size(): number {
    return this.rows;
  }

  get flaggedCount(): number {
    return this.flagged.size;
  }

  /** Every row with a result, in row order. */
  *entries(): Generator<[number, ResultEntry]> {
    const n = this.kinds.length;
    for (let row = 0; row < n; row++) {
      const kind = this.kinds[row] as number;
      if (kind === 0) continue;
      if (kind === -1) yield [row, { flagged: this.flagged.get(row) as MatchResult }];
      else yield [row, { clean: this.infos[kind - 1] as CleanInfo }];
    }
  }

  /** Flagged results in row order. */
  flaggedResults(): MatchResult[] {
    return [...this.flagged.values()].sort((a, b) => a.row - b.row);
  }
}
