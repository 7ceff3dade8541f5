/** Seqs up to this are stored in the row's byte (as seq + 1); a larger one lives in `bigSeqs`. */
const SMALL_SEQ_MAX = 253;
const BIG = 255;

/**
 * What report keeps in memory of one file's rows: for each row, the seq of its latest result and
 * whether that result is flagged, and whether the row was rejected. Results themselves go to the
 * spilled runs; these counts keep `status()` exact without them.
 *
 * Cost: one byte and two bits per row. `seq` is the size of a record's evidence (occurrences of its
 * NIK, members of its family), so it fits in the byte for nearly every row; the rare larger one is
 * kept in a map.
 */
export class RowAccounting {
  /** 0: no result; 1..254: seq + 1; 255: seq in `bigSeqs`. */
  private seqs = new Uint8Array(1024);
  private flaggedBits = new Uint8Array(128);
  private rejectedBits = new Uint8Array(128);
  private readonly bigSeqs = new Map<number, number>();
  private withResult = 0;
  private flaggedRows = 0;
  private rejectedRows = 0;

  private grow(row: number): void {
    if (row < this.seqs.length) return;
    const size = Math.max(row + 1, this.seqs.length * 2);
    this.seqs = grown(this.seqs, size);
    this.flaggedBits = grown(this.flaggedBits, (size + 7) >> 3);
    this.rejectedBits = grown(this.rejectedBits, (size + 7) >> 3);
  }

  /**
   * Records a result of `row` if it is newer (a higher seq) than the row's latest; returns whether
   * it is. An equal seq means the same evidence, so the same content: the first one stays.
   */
  keepResult(row: number, seq: number, flagged: boolean): boolean {
    this.grow(row);
    const stored = this.seqs[row] as number;
    if (stored !== 0 && this.seqOf(row, stored) >= seq) return false;
    if (stored === 0) this.withResult++;
    if (seq <= SMALL_SEQ_MAX) {
      this.seqs[row] = seq + 1;
      this.bigSeqs.delete(row);
    } else {
      this.seqs[row] = BIG;
      this.bigSeqs.set(row, seq);
    }
    const was = bit(this.flaggedBits, row);
    if (was !== flagged) {
      setBit(this.flaggedBits, row, flagged);
      this.flaggedRows += flagged ? 1 : -1;
    }
    return true;
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
    this.flaggedBits.fill(0);
    this.bigSeqs.clear();
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
