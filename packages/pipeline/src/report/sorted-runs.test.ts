import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MERGE_CHUNK, mergeRuns } from './merge-runs.js';
import type { RunEntry } from './run-file.js';
import { FAN_IN, SortedRuns } from './sorted-runs.js';
import type { SpillBudget } from './sorted-runs.js';

function entry(source: string, file: string, row: number, rank: number, arrival: number, value = `${source}/${file}#${row}@${rank}/${arrival}`): RunEntry<string> {
  return { source, file, row, rank, arrival, value };
}

/** A run read in chunks of two entries (and an empty chunk first), as a file would be in chunks of lines. */
async function* inMemory(entries: RunEntry<string>[]): AsyncGenerator<RunEntry<string>[]> {
  yield [];
  for (let i = 0; i < entries.length; i += 2) yield entries.slice(i, i + 2);
}

async function collect<T>(it: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of it) for (const x of chunk) out.push(x);
  return out;
}

function runs(): { runs: SortedRuns<string>; budget: SpillBudget; dir: string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'sorted-runs-')), 'spill');
  const budget: SpillBudget = { limit: 1_000_000, held: 0 };
  return { runs: new SortedRuns<string>(dir, 'results', budget), budget, dir };
}

/** The winner of each row by the rule, computed the obvious way (for comparison). */
function expected(all: RunEntry<string>[]): string[] {
  const best = new Map<string, RunEntry<string>>();
  for (const e of all) {
    const k = JSON.stringify([e.source, e.file, e.row]);
    const b = best.get(k);
    if (!b || e.rank > b.rank || (e.rank === b.rank && e.arrival < b.arrival)) best.set(k, e);
  }
  return [...best.values()]
    .sort((a, b) => (a.source !== b.source ? (a.source < b.source ? -1 : 1) : a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.row - b.row))
    .map((e) => e.value);
}

describe('mergeRuns', () => {
  it('yields each row once, its highest rank, in program, file, numeric row order', async () => {
    const merged = await collect(
      mergeRuns([
        inMemory([entry('PKH', 'a.csv', 2, 1, 0), entry('PKH', 'a.csv', 10, 3, 1)]),
        inMemory([entry('DTKS', 'd.csv', 1, 1, 2), entry('PKH', 'a.csv', 2, 4, 3), entry('PKH', 'a.csv', 10, 1, 4)]),
        inMemory([entry('PKH', 'a.csv', 9, 1, 5)]),
      ]),
    );
    expect(merged.map((e) => e.value)).toEqual(['DTKS/d.csv#1@1/2', 'PKH/a.csv#2@4/3', 'PKH/a.csv#9@1/5', 'PKH/a.csv#10@3/1']);
  });

  it('keeps the first arrival of a row on equal rank (equal seq means the same content)', async () => {
    const merged = await collect(mergeRuns([inMemory([entry('BST', 'b.jsonl', 7, 2, 9)]), inMemory([entry('BST', 'b.jsonl', 7, 2, 4)])]));
    expect(merged.map((e) => e.value)).toEqual(['BST/b.jsonl#7@2/4']);
  });

  it('hands out chunks of at most MERGE_CHUNK winners, every winner once', async () => {
    const n = 2 * MERGE_CHUNK + 5;
    const a = Array.from({ length: n }, (_, i) => entry('PKH', 'a.csv', i + 1, 1, i));
    const b = Array.from({ length: n }, (_, i) => entry('PKH', 'a.csv', i + 1, 0, n + i));
    const sizes: number[] = [];
    const rows: number[] = [];
    for await (const chunk of mergeRuns([inMemory(a), inMemory(b)])) {
      sizes.push(chunk.length);
      for (const e of chunk) rows.push(e.row);
    }
    expect(sizes).toEqual([MERGE_CHUNK, MERGE_CHUNK, 5]);
    expect(rows).toEqual(a.map((e) => e.row));
  });

  it('takes empty runs and no runs', async () => {
    expect(await collect(mergeRuns<string>([]))).toEqual([]);
    expect(await collect(mergeRuns([inMemory([]), inMemory([entry('PBI', 'p.csv', 1, 0, 0)]), inMemory([])]))).toHaveLength(1);
  });
});

describe('SortedRuns', () => {
  it('gives the same winners as an in-memory map over many runs, with duplicates across runs and ties', async () => {
    const { runs: r, dir } = runs();
    const all: RunEntry<string>[] = [];
    let arrival = 0;
    // 40 spills of 50 entries over 300 rows of two files: rows recur across runs with higher,
    // lower and equal seq, so levels are merged (FAN_IN runs make a level) before the final read.
    for (let spill = 0; spill < 40; spill++) {
      for (let i = 0; i < 50; i++) {
        const n = (spill * 37 + i * 11) % 300;
        const e = entry(n % 2 === 0 ? 'PKH' : 'BST', n % 3 === 0 ? 'x.csv' : 'y.csv', 1 + (n % 150), (spill * 7 + i) % 5, arrival++);
        all.push(e);
        r.add(e);
      }
      await r.spill();
    }
    expect(r.runCount).toBeLessThan(2 * FAN_IN);
    expect((await collect(r.merged())).map((e) => e.value)).toEqual(expected(all));
    // Compaction removed the runs it merged: the files on disk are the runs it lists.
    expect(readdirSync(dir)).toHaveLength(r.runCount);
  });

  it('reads entries still in memory, and spills of nothing write no run', async () => {
    const { runs: r } = runs();
    await r.spill();
    expect(r.runCount).toBe(0);
    r.add(entry('PKH', 'a.csv', 1, 0, 0));
    expect(r.held).toBe(1);
    expect((await collect(r.merged())).map((e) => e.value)).toEqual(['PKH/a.csv#1@0/0']);
    expect(r.held).toBe(0);
    expect(await collect(runs().runs.merged())).toEqual([]);
  });

  it('does not merge away runs a reader has open, and merges them after', async () => {
    const { runs: r } = runs();
    let arrival = 0;
    for (let i = 0; i < FAN_IN - 1; i++) {
      r.add(entry('PKH', 'a.csv', i + 1, 0, arrival++));
      await r.spill();
    }
    const reading = r.merged();
    const first = await reading.next();
    const seen = first.value ?? [];
    expect(seen[0]?.row).toBe(1);
    // Runs reach FAN_IN while the reader is open: they stay until it is done.
    r.add(entry('PKH', 'a.csv', 100, 0, arrival++));
    r.add(entry('PKH', 'a.csv', 101, 0, arrival++));
    await r.spill();
    expect(r.runCount).toBe(FAN_IN);
    const rest = await collect(reading);
    expect(seen.length + rest.length).toBe(FAN_IN - 1);
    await r.spill();
    expect(r.runCount).toBe(1);
    expect(await collect(r.merged())).toHaveLength(FAN_IN + 1);
  });

  it('counts held entries in the shared budget and removes its files on clear', async () => {
    const { runs: r, budget, dir } = runs();
    r.add(entry('PKH', 'a.csv', 1, 0, 0));
    r.add(entry('PKH', 'a.csv', 2, 0, 1));
    expect(budget.held).toBe(2);
    await r.spill();
    expect(budget.held).toBe(0);
    expect(readdirSync(dir)).toHaveLength(1);
    await r.clear();
    expect(readdirSync(dir)).toHaveLength(0);
  });
});
