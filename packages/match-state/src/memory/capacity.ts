/**
 * The next capacity of a growing table or buffer holding at least `needed` items. Small ones
 * double; past a million items they grow by half: a doubled buffer is up to half empty, and while
 * it is copied the old one is alive too, which at the size of a province's DTKS release was the
 * difference between a peak RSS under 1 GB and over it. Either way a geometric growth, so appends
 * stay amortized O(1).
 */
export function nextCapacity(current: number, needed: number): number {
  const grown = current < 1 << 20 ? current * 2 : Math.ceil(current * 1.5);
  return Math.max(grown, needed);
}
