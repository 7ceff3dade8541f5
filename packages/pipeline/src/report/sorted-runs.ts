import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeRuns } from './merge-runs.js';
import type { RunEntry } from './run-file.js';
import { compareEntries, readRun, RunWriter } from './run-file.js';

/** Runs merged into one when this many share a level: each entry is rewritten O(log n) times, and a merge opens at most this many files per level. */
export const FAN_IN = 16;

/** Entries serialized into one write when a run is written (a spill holds up to REPORT_SPILL_ROWS). */
const WRITE_SLICE = 1024;

/** Entries held in memory by every SortedRuns sharing it; its owner spills them all past `limit`. */
export interface SpillBudget {
  readonly limit: number;
  held: number;
}

interface Run {
  readonly path: string;
  readonly level: number;
}

/**
 * Entries about rows, kept on disk as sorted runs (a log-structured merge): added entries are held
 * in memory until `spill()`, which sorts them into a run file; `FAN_IN` runs of one level are merged
 * into one run of the next, keeping only each row's winner. `merged()` streams every row's winner
 * in row order. Run files are written one at a time (a promise chain), and none is deleted while a
 * `merged()` reads them.
 */
export class SortedRuns<V> {
  private buffer: RunEntry<V>[] = [];
  private runs: Run[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readers = 0;
  private written = 0;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly budget: SpillBudget,
  ) {}

  add(e: RunEntry<V>): void {
    this.buffer.push(e);
    this.budget.held++;
  }

  /** Entries in memory, not yet in a run. */
  get held(): number {
    return this.buffer.length;
  }

  /** Run files now on disk. */
  get runCount(): number {
    return this.runs.length;
  }

  /** Writes the held entries as a run (then merges full levels); resolves when every earlier spill is on disk. */
  spill(): Promise<void> {
    const entries = this.buffer;
    this.buffer = [];
    this.budget.held -= entries.length;
    return this.enqueue(async () => {
      if (entries.length > 0) {
        try {
          await this.writeRun(entries);
        } catch (e) {
          // Nothing is lost: the entries go back to memory and the next spill writes them.
          this.buffer = entries.concat(this.buffer);
          this.budget.held += entries.length;
          throw new Error(`cannot write a report spill file in ${this.dir} (${(e as Error).message}): check free space and permissions of REPORT_WORK_DIR`, { cause: e });
        }
      }
      await this.compact();
    });
  }

  /** Every row's winner, in row order (in chunks), over all entries added before the call. */
  async *merged(): AsyncGenerator<RunEntry<V>[]> {
    await this.spill();
    this.readers++;
    try {
      yield* mergeRuns(this.runs.map((r) => readRun<V>(r.path)));
    } finally {
      this.readers--;
    }
  }

  /** Removes the run files (the folder is the owner's). */
  async clear(): Promise<void> {
    await this.chain;
    this.budget.held -= this.buffer.length;
    this.buffer = [];
    const runs = this.runs;
    this.runs = [];
    for (const r of runs) await rm(r.path, { force: true });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const done = this.chain.then(work);
    this.chain = done.catch(() => {});
    return done;
  }

  private nextPath(): string {
    return join(this.dir, `${this.name}-${this.written++}.run`);
  }

  private async writeRun(entries: RunEntry<V>[]): Promise<void> {
    entries.sort(compareEntries);
    await mkdir(this.dir, { recursive: true });
    const out = new RunWriter<V>(this.nextPath());
    for (let i = 0; i < entries.length; i += WRITE_SLICE) await out.writeAll(entries.slice(i, i + WRITE_SLICE));
    await out.close();
    this.runs.push({ path: out.path, level: 0 });
  }

  /** Merges each level holding FAN_IN runs into one run of the next level; waits while a reader has runs open. */
  private async compact(): Promise<void> {
    for (let level = 0; this.readers === 0; level++) {
      const at = this.runs.filter((r) => r.level === level);
      if (at.length === 0 && !this.runs.some((r) => r.level > level)) return;
      if (at.length < FAN_IN) continue;
      const out = new RunWriter<V>(this.nextPath());
      for await (const chunk of mergeRuns(at.map((r) => readRun<V>(r.path)))) await out.writeAll(chunk);
      await out.close();
      this.runs = this.runs.filter((r) => !at.includes(r));
      this.runs.push({ path: out.path, level: level + 1 });
      for (const r of at) await rm(r.path, { force: true });
    }
  }
}
