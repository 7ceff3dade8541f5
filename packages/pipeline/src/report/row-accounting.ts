/** Seqs up to this are stored in the row's byte (as seq + 1); a larger one lives in `bigSeqs`. */
const SMALL_SEQ_MAX = 253;
const BIG = 255;
/** Profile ids a row's Uint16 slot holds; past this many distinct profiles the slots widen to 32 bits. */
const NARROW_PROFILE_MAX = 0xffff;

/**
 * What `keepResult` did: `stale` (an older or equal seq, dropped), `kept` (the row's latest now),
 * `replacedFlagged` (the row's latest now, in place of a flagged result).
 */
export type Kept = 'stale' | 'kept' | 'replacedFlagged';

/**
 * What report keeps in memory of one file's rows: for each row, the seq of its latest result and,
 * when that result is clean, its clean profile (see CleanProfiles); whether the row was rejected;
 * and per profile, how many rows' latest result is clean with it. Flagged results themselves go to
 * the spilled runs; these counts keep `status()` and the summary's clean counts exact without them.
 *
 * Cost: three bytes and a bit per row (a seq byte, a 16-bit profile id, a rejected bit; five bytes
 * if a period ever holds more than 65 535 distinct profiles). `seq` is the size of a record's
 * evidence (occurrences of its NIK, members of its family), so it fits in the byte for nearly
 * every row; the rare larger one is kept in a map.
 */
export class RowAccounting {
  /** 0: no result; 1..254: seq + 1; 255: seq in `bigSeqs`. */
  private seqs = new Uint8Array(1024);
  /** 0: no result or a flagged one; else the clean profile id of the row's latest result. */
  private profiles: Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer> = new Uint16Array(1024);
  private rejectedBits = new Uint8Array(128);
  private readonly bigSeqs = new Map<number, number>();
  /** Rows whose latest result is clean, by profile id. */
  private cleanCounts: number[] = [];
  private withResult = 0;
  private flaggedRows = 0;
  private rejectedRows = 0;

  private grow(row: number): void {
    if (row < this.seqs.length) return;
    const size = Math.max(row + 1, this.seqs.length * 2);
    this.seqs = grown(this.seqs, size);
    const profiles = this.profiles instanceof Uint16Array ? new Uint16Array(size) : new Uint32Array(size);
    profiles.set(this.profiles);
    this.profiles = profiles;
    this.rejectedBits = grown(this.rejectedBits, (size + 7) >> 3);
  }

  /**
   * Records a result of `row` if it is newer (a higher seq) than the row's latest; `profile` is
   * the clean profile id of a clean result, 0 for a flagged one. An equal seq means the same
   * evidence, so the same content: the first one stays.
   */
  keepResult(row: number, seq: number, profile: number): Kept {
    this.grow(row);
    const stored = this.seqs[row] as number;
    if (stored !== 0 && this.seqOf(row, stored) >= seq) return 'stale';
    const before = this.profiles[row] as number;
    const wasFlagged = stored !== 0 && before === 0;
    if (stored === 0) this.withResult++;
    if (seq <= SMALL_SEQ_MAX) {
      this.seqs[row] = seq + 1;
      this.bigSeqs.delete(row);
    } else {
      this.seqs[row] = BIG;
      this.bigSeqs.set(row, seq);
    }
    if (before !== 0) this.cleanCounts[before] = (this.cleanCounts[before] as number) - 1;
    if (profile !== 0) {
      if (profile > NARROW_PROFILE_MAX && this.profiles instanceof Uint16Array) this.profiles = Uint32Array.from(this.profiles);
      while (this.cleanCounts.length <= profile) this.cleanCounts.push(0);
      this.cleanCounts[profile] = (this.cleanCounts[profile] as number) + 1;
    }
    this.profiles[row] = profile;
    const flagged = profile === 0;
    if (wasFlagged !== flagged) this.flaggedRows += flagged ? 1 : -1;
    return wasFlagged ? 'replacedFlagged' : 'kept';
  }

  /** Records a rejected row; a redelivered one counts once. */
  keepRejected(row: number): void {
    this.grow(row);
    if (bit(this.rejectedBits, row)) return;
    setBit(this.rejectedBits, row, true);
    this.rejectedRows++;
  }

  /** Forgets every row's result (a rebuilt match state publishes them all again); rejected rows stay. */
  resetResults(): void {
    this.seqs.fill(0);
    this.profiles.fill(0);
    this.bigSeqs.clear();
    this.cleanCounts = [];
    this.withResult = 0;
    this.flaggedRows = 0;
  }

  private seqOf(row: number, stored: number): number {
    return stored === BIG ? (this.bigSeqs.get(row) as number) : stored - 1;
  }

  /** Rows with a result (clean or flagged). */
  get results(): number {
    return this.withResult;
  }

  get flagged(): number {
    return this.flaggedRows;
  }

  get rejected(): number {
    return this.rejectedRows;
  }

  /** A copy of the rows whose latest result is clean, as [profile id, rows] (rows > 0), in id order. */
  cleanByProfile(): [number, number][] {
    const out: [number, number][] = [];
    for (let id = 1; id < this.cleanCounts.length; id++) {
      const n = this.cleanCounts[id] as number;
      if (n > 0) out.push([id, n]);
    }
    return out;
  }
}

function grown(a: Uint8Array<ArrayBuffer>, size: number): Uint8Array<ArrayBuffer> {
  if (size <= a.length) return a;
  const b = new Uint8Array(size);
  b.set(a);
  return b;
}

function bit(bits: Uint8Array, i: number): boolean {
  return (((bits[i >> 3] as number) >> (i & 7)) & 1) === 1;
}

function setBit(bits: Uint8Array, i: number, on: boolean): void {
  const mask = 1 << (i & 7);
  bits[i >> 3] = on ? (bits[i >> 3] as number) | mask : (bits[i >> 3] as number) & ~mask;
}
