import { detach } from './detach.js';
import { ABSENT, NikTable } from './nik-table.js';
import { TextHeap } from './text-heap.js';

/**
 * No. KK → the household ids of the DTKS rows listing it: a NikTable (a No. KK is 16 digits, like
 * a NIK) pointing at the household id's text in a TextHeap, no string or Map entry per KK. A KK
 * spread over several households (rare) holds a small list instead.
 */
export class KkHouseholds {
  private readonly byKk = new NikTable();
  private readonly heap = new TextHeap(1 << 20);
  private textAt = new Float64Array(1024);
  private count = 0;
  private readonly spread: string[][] = [];

  add(kk: string, householdId: string): void {
    const v = this.byKk.get(kk);
    if (v === ABSENT) {
      if (this.count === this.textAt.length) {
        const grown = new Float64Array(this.count * 2);
        grown.set(this.textAt);
        this.textAt = grown;
      }
      this.textAt[this.count] = this.heap.end;
      this.heap.text(householdId);
      this.byKk.set(kk, this.count++);
      return;
    }
    if (v >= 0) {
      const only = this.text(v);
      if (only === householdId) return;
      this.spread.push([only, detach(householdId)]);
      this.byKk.set(kk, -this.spread.length);
      return;
    }
    const list = this.spread[-v - 1] as string[];
    if (!list.includes(householdId)) list.push(detach(householdId));
  }

  /** The KK's household ids, sorted; undefined when no row lists it. */
  get(kk: string): string[] | undefined {
    const v = this.byKk.get(kk);
    if (v === ABSENT) return undefined;
    return v >= 0 ? [this.text(v)] : [...(this.spread[-v - 1] as string[])].sort();
  }

  private text(i: number): string {
    return this.heap.seek(this.textAt[i] as number).readText();
  }
}
