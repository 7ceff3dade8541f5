import { nextCapacity } from './capacity.js';
import { TextHeap } from './text-heap.js';

/** Rows past this go to the Map (a row table is sized by its largest row: keep it bounded by real files). */
const MAX_TABLE_ROW = 1 << 24;
/** Compact once the bytes of replaced values exceed both the live bytes and this. */
const MIN_GARBAGE = 1 << 20;

/**
 * The period's packed base results (state-codec.ts packBase), one per record key, in one TextHeap
 * with an offset table per file: a record key `period/source/file#row` is its file's prefix and
 * its row, and the row indexes a typed array of offsets. No string and no Map entry per record,
 * which for the 0.75 M program records of a Jambi month were most of the evidence's heap.
 *
 * A key of another shape (no canonical row after its last `#`) is kept in a Map, so any key works.
 * A value put again is appended and the old bytes become garbage; once garbage outweighs the live
 * values the heap is rewritten, so memory stays proportional to the results held, not to how
 * often they were put.
 */
export class BaseStore {
  private heap = new TextHeap(1 << 20);
  /** Per key prefix (`period/source/file`): heap offset + 1 by row, 0 where none. */
  private readonly byFile = new Map<string, { offsets: Uint32Array }>();
  private readonly other = new Map<string, number>();
  private count = 0;
  private garbage = 0;
  private lastPrefix = '';
  private lastTable: { offsets: Uint32Array } | undefined;

  /** How many keys have a value. */
  get size(): number {
    return this.count;
  }

  put(key: string, packed: string): void {
    const at = this.heap.end;
    if (at >= 0xffffffff) throw new Error(`memory match state: more than 4 GiB of base results in one period; run the services (Redis state) for a period this large`);
    this.heap.text(packed);
    const row = rowOf(key);
    const table = row < 0 ? undefined : this.table(key, key.length - digitsOf(row) - 1, true);
    let old: number;
    if (table) {
      if (row >= table.offsets.length) table.offsets = grownTo(table.offsets, row + 1);
      old = (table.offsets[row] as number) - 1;
      table.offsets[row] = at + 1;
    } else {
      old = this.other.get(key) ?? -1;
      this.other.set(old < 0 ? Buffer.from(key, 'utf8').toString('utf8') : key, at);
    }
    if (old < 0) this.count++;
    else {
      this.garbage += this.textBytes(old);
      if (this.garbage > MIN_GARBAGE && this.garbage > this.heap.end - this.garbage) this.compact();
    }
  }

  get(key: string): string | undefined {
    const row = rowOf(key);
    if (row < 0) {
      const at = this.other.get(key);
      return at === undefined ? undefined : this.heap.seek(at).readText();
    }
    const table = this.table(key, key.length - digitsOf(row) - 1, false);
    const at = table ? (table.offsets[row] ?? 0) : 0;
    return at === 0 ? undefined : this.heap.seek(at - 1).readText();
  }

  /** The table of the key's prefix key[0..hash); made when `create`. */
  private table(key: string, hash: number, create: boolean): { offsets: Uint32Array } | undefined {
    if (this.lastTable && hash === this.lastPrefix.length && key.startsWith(this.lastPrefix)) return this.lastTable;
    const prefix = key.slice(0, hash);
    let t = this.byFile.get(prefix);
    if (!t) {
      if (!create) return undefined;
      t = { offsets: new Uint32Array(1024) };
      this.byFile.set(Buffer.from(prefix, 'utf8').toString('utf8'), t);
    }
    this.lastPrefix = prefix;
    this.lastTable = t;
    return t;
  }

  private textBytes(at: number): number {
    const h = this.heap.seek(at);
    h.skipText();
    return h.at - at;
  }

  /** Rewrites the heap with the live values only. */
  private compact(): void {
    const from = this.heap;
    const to = new TextHeap(Math.max(1 << 20, from.end - this.garbage));
    for (const t of this.byFile.values()) {
      const o = t.offsets;
      for (let r = 0; r < o.length; r++) {
        const at = o[r] as number;
        if (at === 0) continue;
        o[r] = to.end + 1;
        to.text(from.seek(at - 1).readText());
      }
    }
    for (const [key, at] of this.other) {
      this.other.set(key, to.end);
      to.text(from.seek(at).readText());
    }
    this.heap = to;
    this.garbage = 0;
  }
}

/** The row of a key `prefix#row` when it is canonical decimal below MAX_TABLE_ROW, else -1. */
function rowOf(key: string): number {
  const hash = key.lastIndexOf('#');
  if (hash < 0) return -1;
  const n = key.length - hash - 1;
  if (n < 1 || n > 8 || (n > 1 && key.charCodeAt(hash + 1) === 48)) return -1;
  let row = 0;
  for (let i = hash + 1; i < key.length; i++) {
    const c = key.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    row = row * 10 + c;
  }
  return row < MAX_TABLE_ROW ? row : -1;
}

/** Decimal digits of a row (canonical: 0 has one). */
function digitsOf(row: number): number {
  let d = 1;
  while (row >= 10) {
    row = Math.floor(row / 10);
    d++;
  }
  return d;
}

function grownTo(a: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(nextCapacity(a.length, n));
  out.set(a);
  return out;
}
