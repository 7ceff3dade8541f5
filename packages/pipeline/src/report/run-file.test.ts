import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEntry } from './run-file.js';
import { readRun, RunCursor, RunWriter } from './run-file.js';

async function readAll<V>(path: string): Promise<{ entries: RunEntry<V>[]; chunks: number }> {
  const entries: RunEntry<V>[] = [];
  let chunks = 0;
  for await (const chunk of readRun<V>(path)) {
    chunks++;
    for (const e of chunk) entries.push(e);
  }
  return { entries, chunks };
}

describe('run files', () => {
  it('read back what was written, in chunks, lines cut by a chunk boundary and multi-byte text included', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'run-file-')), 'a.run');
    // Over a megabyte of lines holding multi-byte characters and line breaks inside values, and
    // one line longer than a read chunk.
    const written: RunEntry<string>[] = [];
    for (let i = 0; i < 6000; i++) written.push({ source: 'PKH', file: 'pkh é.csv', row: i + 1, rank: i % 7, arrival: i, value: `NAMA ${'Ñ'.repeat(i % 90)}\n${i}` });
    written.push({ source: 'PKH', file: 'pkh é.csv', row: 6001, rank: 0, arrival: 6000, value: '€'.repeat(200_000) });
    const out = new RunWriter<string>(path);
    for (let i = 0; i < written.length; i += 1000) await out.writeAll(written.slice(i, i + 1000));
    await out.close();
    const { entries, chunks } = await readAll<string>(path);
    expect(chunks).toBeGreaterThan(10);
    expect(entries).toEqual(written);
  });

  it('reads a last line without its line break, and skips blank lines', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'run-file-')), 'b.run');
    writeFileSync(path, '["BST","b.jsonl",1,0,0,"x"]\n\n["BST","b.jsonl",2,0,1,"y"]');
    expect((await readAll<string>(path)).entries.map((e) => e.value)).toEqual(['x', 'y']);
  });

  it('hands entries out one at a time through a cursor, over empty chunks, and ends with null', async () => {
    async function* chunks(): AsyncGenerator<RunEntry<number>[]> {
      yield [];
      yield [1, 2].map((row) => ({ source: 'S', file: 'f', row, rank: 0, arrival: 0, value: row }));
      yield [];
      yield [{ source: 'S', file: 'f', row: 3, rank: 0, arrival: 0, value: 3 }];
    }
    const c = await RunCursor.open(chunks());
    const seen: number[] = [];
    while (c.head !== null) {
      seen.push(c.head.value);
      const reading = c.advance();
      if (reading !== null) await reading;
    }
    expect(seen).toEqual([1, 2, 3]);
    await c.close();
  });
});
