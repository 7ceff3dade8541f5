import type { RunEntry } from './run-file.js';
import { compareEntries, compareRows } from './run-file.js';

interface Cursor<V> {
  readonly source: AsyncIterator<RunEntry<V>>;
  head: RunEntry<V>;
}

/**
 * A k-way merge of sorted runs that yields the winner of every row (highest rank, then first
 * arrival) once, in row order. Holds one entry per run: memory is bounded by the number of runs,
 * not by their length.
 */
export async function* mergeRuns<V>(runs: readonly AsyncIterable<RunEntry<V>>[]): AsyncGenerator<RunEntry<V>> {
  const heap: Cursor<V>[] = [];
  const iterators: AsyncIterator<RunEntry<V>>[] = [];
  try {
    for (const run of runs) {
      const source = run[Symbol.asyncIterator]();
      iterators.push(source);
      const first = await source.next();
      if (!first.done) push(heap, { source, head: first.value });
    }
    let last: RunEntry<V> | null = null;
    while (heap.length > 0) {
      const top = heap[0] as Cursor<V>;
      const entry = top.head;
      const next = await top.source.next();
      if (next.done) pop(heap);
      else {
        top.head = next.value;
        siftDown(heap, 0);
      }
      // Runs are sorted with each row's winner first, and the heap pops the least entry across
      // runs: the first entry of a row is its winner, the rest lose to it.
      if (last !== null && compareRows(last, entry) === 0) continue;
      last = entry;
      yield entry;
    }
  } finally {
    // An early stop (an error downstream) closes every run's file.
    for (const it of iterators) await it.return?.();
  }
}

function less<V>(a: Cursor<V>, b: Cursor<V>): boolean {
  return compareEntries(a.head, b.head) < 0;
}

function push<V>(heap: Cursor<V>[], c: Cursor<V>): void {
  heap.push(c);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(heap[i] as Cursor<V>, heap[parent] as Cursor<V>)) break;
    swap(heap, i, parent);
    i = parent;
  }
}

function pop<V>(heap: Cursor<V>[]): void {
  const last = heap.pop() as Cursor<V>;
  if (heap.length === 0) return;
  heap[0] = last;
  siftDown(heap, 0);
}

function siftDown<V>(heap: Cursor<V>[], start: number): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && less(heap[l] as Cursor<V>, heap[m] as Cursor<V>)) m = l;
    if (r < heap.length && less(heap[r] as Cursor<V>, heap[m] as Cursor<V>)) m = r;
    if (m === i) return;
    swap(heap, i, m);
    i = m;
  }
}

function swap<V>(heap: Cursor<V>[], i: number, j: number): void {
  const t = heap[i] as Cursor<V>;
  heap[i] = heap[j] as Cursor<V>;
  heap[j] = t;
}
