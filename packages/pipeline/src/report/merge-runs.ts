import type { RunEntry } from './run-file.js';
import { compareEntries, compareRows, RunCursor } from './run-file.js';

/** Winners handed out at a time by a merge: its consumers loop over a chunk without an await per entry. */
export const MERGE_CHUNK = 1024;

/**
 * A k-way merge of sorted runs (each read in chunks) that yields the winner of every row (highest
 * rank, then first arrival) once, in row order, in chunks of at most MERGE_CHUNK. Holds one chunk
 * per run: memory is bounded by the number of runs, not by their length.
 */
export async function* mergeRuns<V>(runs: readonly AsyncIterable<RunEntry<V>[]>[]): AsyncGenerator<RunEntry<V>[]> {
  const heap: RunCursor<V>[] = [];
  const cursors: RunCursor<V>[] = [];
  try {
    for (const run of runs) {
      const c = await RunCursor.open(run);
      cursors.push(c);
      if (c.head !== null) push(heap, c);
    }
    let last: RunEntry<V> | null = null;
    let out: RunEntry<V>[] = [];
    while (heap.length > 0) {
      const top = heap[0] as RunCursor<V>;
      const entry = top.head as RunEntry<V>;
      const reading = top.advance();
      if (reading !== null) await reading;
      if (top.head === null) pop(heap);
      else siftDown(heap, 0);
      // Runs are sorted with each row's winner first, and the heap pops the least entry across
      // runs: the first entry of a row is its winner, the rest lose to it.
      if (last !== null && compareRows(last, entry) === 0) continue;
      last = entry;
      out.push(entry);
      if (out.length >= MERGE_CHUNK) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    // An early stop (an error downstream) closes every run's file.
    for (const c of cursors) await c.close();
  }
}

function less<V>(a: RunCursor<V>, b: RunCursor<V>): boolean {
  return compareEntries(a.head as RunEntry<V>, b.head as RunEntry<V>) < 0;
}

function push<V>(heap: RunCursor<V>[], c: RunCursor<V>): void {
  heap.push(c);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(heap[i] as RunCursor<V>, heap[parent] as RunCursor<V>)) break;
    swap(heap, i, parent);
    i = parent;
  }
}

function pop<V>(heap: RunCursor<V>[]): void {
  const last = heap.pop() as RunCursor<V>;
  if (heap.length === 0) return;
  heap[0] = last;
  siftDown(heap, 0);
}

function siftDown<V>(heap: RunCursor<V>[], start: number): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && less(heap[l] as RunCursor<V>, heap[m] as RunCursor<V>)) m = l;
    if (r < heap.length && less(heap[r] as RunCursor<V>, heap[m] as RunCursor<V>)) m = r;
    if (m === i) return;
    swap(heap, i, m);
    i = m;
  }
}

function swap<V>(heap: RunCursor<V>[], i: number, j: number): void {
  const t = heap[i] as RunCursor<V>;
  heap[i] = heap[j] as RunCursor<V>;
  heap[j] = t;
}
