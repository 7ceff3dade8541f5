import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { LineWriter } from '@padan/io';

/**
 * One spilled entry about one row of a file (a result, a dead letter, a published signature).
 * Of the entries of one row, the one with the highest `rank` wins; on equal rank the first to
 * arrive (lowest `arrival`) stays.
 */
export interface RunEntry<V> {
  readonly source: string;
  readonly file: string;
  readonly row: number;
  readonly rank: number;
  readonly arrival: number;
  readonly value: V;
}

/** Orders rows as the snapshot lists them: program, then source file, then numeric row (as `compareFindings`). */
export function compareRows(a: RunEntry<unknown>, b: RunEntry<unknown>): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.row - b.row;
}

/** The order inside a run: by row, then the winner of each row first. */
export function compareEntries(a: RunEntry<unknown>, b: RunEntry<unknown>): number {
  return compareRows(a, b) || b.rank - a.rank || a.arrival - b.arrival;
}

/**
 * Writes a run: one JSON array per line, entries in `compareEntries` order (the caller's duty).
 * Lines, not a binary format: JSON.stringify escapes line breaks, and a run is read back once.
 */
export class RunWriter<V> {
  private readonly out: LineWriter;

  constructor(readonly path: string) {
    this.out = new LineWriter(path);
  }

  write(e: RunEntry<V>): Promise<void> {
    return this.out.write(`${JSON.stringify([e.source, e.file, e.row, e.rank, e.arrival, e.value])}\n`);
  }

  close(): Promise<void> {
    return this.out.close();
  }
}

/** Reads a run back, in the order it was written. */
export async function* readRun<V>(path: string): AsyncGenerator<RunEntry<V>> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line === '') continue;
      const [source, file, row, rank, arrival, value] = JSON.parse(line) as [string, string, number, number, number, V];
      yield { source, file, row, rank, arrival, value };
    }
  } finally {
    lines.close();
  }
}
