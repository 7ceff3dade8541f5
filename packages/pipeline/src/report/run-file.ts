import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
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

/**
 * Bytes read from a run file at a time. A merge holds one chunk's entries per open run (FAN_IN
 * runs at most), so this bounds its memory: 64 KiB is a few hundred results.
 */
const READ_CHUNK = 64 * 1024;

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
 * Entries are written a slice at a time, one write per slice: a write per entry cost more than
 * the JSON.
 */
export class RunWriter<V> {
  private readonly out: LineWriter;

  constructor(readonly path: string) {
    this.out = new LineWriter(path);
  }

  async writeAll(entries: readonly RunEntry<V>[]): Promise<void> {
    if (entries.length === 0) return;
    let text = '';
    for (const e of entries) text += `${JSON.stringify([e.source, e.file, e.row, e.rank, e.arrival, e.value])}\n`;
    await this.out.write(text);
  }

  close(): Promise<void> {
    return this.out.close();
  }
}

/**
 * Reads a run back, in the order it was written, a chunk of entries at a time (READ_CHUNK bytes
 * of lines): no await per entry. A line cut by a chunk's end is completed by the next chunk.
 */
export async function* readRun<V>(path: string): AsyncGenerator<RunEntry<V>[]> {
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of stream) {
      const text = decoder.write(chunk as Buffer);
      // Only the new text is searched: a line longer than a chunk costs no rescans of its start.
      const end = text.lastIndexOf('\n');
      if (end < 0) {
        rest += text;
        continue;
      }
      const lines = rest + text.slice(0, end + 1);
      rest = text.slice(end + 1);
      yield parseLines<V>(lines);
    }
    const tail = rest + decoder.end();
    if (tail !== '') yield parseLines<V>(`${tail}\n`);
  } finally {
    stream.destroy();
  }
}

/** Entries of complete lines (`text` ends with a line break). */
function parseLines<V>(text: string): RunEntry<V>[] {
  const out: RunEntry<V>[] = [];
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const line = text.slice(at, nl);
    at = nl + 1;
    if (line === '') continue;
    const [source, file, row, rank, arrival, value] = JSON.parse(line) as [string, string, number, number, number, V];
    out.push({ source, file, row, rank, arrival, value });
  }
  return out;
}

/**
 * Entries read in chunks (a run, a merge), handed out one at a time: `advance` returns a promise
 * only when a chunk is used up and the next must be read.
 */
export class RunCursor<V> {
  /** The current entry; null past the end. */
  head: RunEntry<V> | null = null;
  private chunk: RunEntry<V>[] = [];
  private at = 0;

  private constructor(private readonly source: AsyncIterator<RunEntry<V>[]>) {}

  /** A cursor on the first entry of `chunks`. */
  static async open<V>(chunks: AsyncIterable<RunEntry<V>[]>): Promise<RunCursor<V>> {
    const c = new RunCursor<V>(chunks[Symbol.asyncIterator]());
    await c.refill();
    return c;
  }

  advance(): Promise<void> | null {
    if (++this.at < this.chunk.length) {
      this.head = this.chunk[this.at] as RunEntry<V>;
      return null;
    }
    return this.refill();
  }

  /** Stops reading (closes the run's file); the cursor is not used after. */
  async close(): Promise<void> {
    this.head = null;
    await this.source.return?.(undefined);
  }

  private async refill(): Promise<void> {
    for (;;) {
      const n = await this.source.next();
      if (n.done) {
        this.head = null;
        this.chunk = [];
        return;
      }
      if (n.value.length > 0) {
        this.chunk = n.value;
        this.at = 0;
        this.head = n.value[0] as RunEntry<V>;
        return;
      }
    }
  }
}
