import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from './input-error.js';
import { DEFAULT_READER_LIMITS } from './reader-limits.js';
import { readTextLines } from './text-lines.js';
import type { TextLine } from './text-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-lines-'));
let n = 0;

async function lines(content: string | Buffer, maxLineBytes = DEFAULT_READER_LIMITS.maxLineBytes): Promise<TextLine[]> {
  const p = join(dir, `f${n++}.txt`);
  writeFileSync(p, content);
  const out: TextLine[] = [];
  for await (const batch of readTextLines(p, { ...DEFAULT_READER_LIMITS, maxLineBytes }, 're-save it')) out.push(...batch);
  return out;
}

describe('readTextLines', () => {
  it('LF, CRLF and CR-only files give the same lines and numbers', async () => {
    const expected = [
      { no: 1, text: 'a' },
      { no: 2, text: '' },
      { no: 3, text: 'b' },
    ];
    expect(await lines('a\n\nb\n')).toEqual(expected);
    expect(await lines('a\r\n\r\nb\r\n')).toEqual(expected);
    expect(await lines('a\r\rb\r')).toEqual(expected);
    expect(await lines('a\r\rb')).toEqual(expected);
  });

  it('CR-only: a CRLF split across two chunks is one break', async () => {
    const first = `x\r${'y'.repeat(64 * 1024 - 3)}\r`; // the chunk ends on the CR
    const out = await lines(`${first}\nz\r`);
    expect(out.map((l) => l.no)).toEqual([1, 2, 3]);
    expect(out[2]).toEqual({ no: 3, text: 'z' });
  });

  it('CR-only: a first line ending exactly at the end of the first chunk', async () => {
    const first = 'h'.repeat(64 * 1024 - 1);
    expect(await lines(`${first}\ra\rb\r`)).toEqual([
      { no: 1, text: first },
      { no: 2, text: 'a' },
      { no: 3, text: 'b' },
    ]);
    expect(await lines(`${first}\r\na\r\n`)).toEqual([
      { no: 1, text: first },
      { no: 2, text: 'a' },
    ]);
  });

  it('a line over the limit comes back tooLong with its head; the next line is read; numbers hold', async () => {
    const out = await lines(`a\n${'L'.repeat(300_000)}\nb\n`, 100_000);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({ no: 1, text: 'a' });
    expect(out[1]).toMatchObject({ no: 2, tooLong: true });
    expect((out[1] as { head: string }).head).toBe('L'.repeat(2000));
    expect(out[2]).toEqual({ no: 3, text: 'b' });
  });

  it('a last line over the limit without a newline is reported once', async () => {
    const out = await lines(`a\n${'L'.repeat(300_000)}`, 100_000);
    expect(out.map((l) => [l.no, l.tooLong === true])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('a line of exactly the limit is read', async () => {
    const out = await lines(`${'x'.repeat(5000)}\n`, 5000);
    expect(out).toEqual([{ no: 1, text: 'x'.repeat(5000) }]);
  });

  it('drops a UTF-8 BOM; names UTF-16 and UTF-32 (with or without BOM) as an InputError', async () => {
    expect(await lines('\ufeffNIK\n')).toEqual([{ no: 1, text: 'NIK' }]);
    for (const [bytes, name] of [
      [Buffer.from([0xff, 0xfe, 0x4e, 0]), 'UTF-16 (little-endian)'],
      [Buffer.from([0xfe, 0xff, 0, 0x4e]), 'UTF-16 (big-endian)'],
      [Buffer.from('NIK\n', 'utf16le'), 'UTF-16 (little-endian)'],
      [Buffer.from([0, 0, 0xfe, 0xff]), 'UTF-32 (big-endian)'],
    ] as const) {
      const e = await lines(bytes).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).rule).toBe('ENCODING');
      expect((e as Error).message).toContain(`the file is ${name}; re-save it`);
    }
  });

  it('files shorter than a BOM are read', async () => {
    expect(await lines('a')).toEqual([{ no: 1, text: 'a' }]);
    expect(await lines('')).toEqual([]);
  });
});
