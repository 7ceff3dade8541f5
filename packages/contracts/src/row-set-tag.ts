/**
 * A short tag naming a set of rows: `<count>.<64-bit hash>` (two FNV-1a 32-bit hashes with
 * different offsets, base 36) of the rows in ascending order. Batched compacted topics key their
 * messages by file, first and last row and this tag, so two messages share a key only when they
 * hold the same rows: compaction then replaces a batch by a later batch of the same rows, never a
 * batch by one that lacks some of its rows (see result-batch.ts). A collision needs two row sets
 * of one file with the same first row, last row and count, and equal 64-bit hashes.
 */
export function rowSetTag(rows: readonly number[]): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < rows.length; i++) {
    // Rows are positive integers below 2^31 (the contracts check them): their four bytes, low first.
    let r = rows[i] as number;
    for (let k = 0; k < 4; k++) {
      const byte = r & 0xff;
      a = Math.imul(a ^ byte, 0x01000193);
      b = Math.imul(b ^ byte, 0x01000193);
      r >>>= 8;
    }
    // A separator byte, so that the two hashes also differ in what they mix between rows.
    b = Math.imul(b ^ 0x9e, 0x01000193);
  }
  return `${rows.length}.${(a >>> 0).toString(36).padStart(7, '0')}${(b >>> 0).toString(36).padStart(7, '0')}`;
}
