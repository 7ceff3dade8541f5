/** A growable set of row numbers, one bit per row: idempotent marking and an exact count. */
export class RowBitmap {
  private bits = new Uint8Array(1024);
  private count = 0;

  /** Marks a row; returns whether it was new. */
  add(row: number): boolean {
    const byte = row >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (row & 7);
    if ((this.bits[byte]! & mask) !== 0) return false;
    this.bits[byte]! |= mask;
    this.count++;
    return true;
  }

  get size(): number {
    return this.count;
  }
}
