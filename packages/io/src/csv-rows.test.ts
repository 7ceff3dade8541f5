import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsvRows } from './csv-rows.js';
import { DEFAULT_READER_LIMITS } from './reader-limits.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-csv-'));
let n = 0;
async function rows(content: string | Buffer, limits = DEFAULT_READER_LIMITS) {
  const p = join(dir, `f${n++}.csv`);
  writeFileSync(p, content);
  const out = [];
  for await (const r of readCsvRows(p, { limits })) {
    out.push({ line: r.line, cells: r.cells, ...(r.unterminated ? { unterminated: true } : {}), ...(r.tooLong ? { tooLong: true } : {}) });
  }
  return out;
}

describe('readCsvRows', () => {
  it('reads LF and CRLF files with the same rows and line numbers', async () => {
    const lf = await rows('NIK,NAMA\n1,A\n2,B\n');
    const crlf = await rows('NIK,NAMA\r\n1,A\r\n2,B\r\n');
    expect(crlf).toEqual(lf);
    expect(lf).toEqual([
      { line: 1, cells: ['NIK', 'NAMA'] },
      { line: 2, cells: ['1', 'A'] },
      { line: 3, cells: ['2', 'B'] },
    ]);
  });

  it('strips a UTF-8 BOM and detects ; files', async () => {
    expect(await rows('\ufeffNIK;NAMA\n1;"SITI, S.PD"\n')).toEqual([
      { line: 1, cells: ['NIK', 'NAMA'] },
      { line: 2, cells: ['1', 'SITI, S.PD'] },
    ]);
  });

  it('keeps quoted delimiters, escaped quotes and embedded CRLF, numbering rows by their first line', async () => {
    const r = await rows('NIK,NAMA\r\n1,"a\r\nb"\r\n2,"say ""hi"""\r\n3,x\r\n');
    expect(r).toEqual([
      { line: 1, cells: ['NIK', 'NAMA'] },
      { line: 2, cells: ['1', 'a\nb'] },
      { line: 4, cells: ['2', 'say "hi"'] },
      { line: 5, cells: ['3', 'x'] },
    ]);
  });

  it('keeps blank lines in the numbering and yields them as one empty cell', async () => {
    const r = await rows('NIK,NAMA\n\n1,A\n');
    expect(r[1]).toEqual({ line: 2, cells: [''] });
    expect(r[2]).toEqual({ line: 3, cells: ['1', 'A'] });
  });

  it('keeps trailing empty cells and a file without a final newline', async () => {
    expect(await rows('a,b,\n1,,')).toEqual([
      { line: 1, cells: ['a', 'b', ''] },
      { line: 2, cells: ['1', '', ''] },
    ]);
  });

  it('reports a quote left open at the end of the file', async () => {
    const r = await rows('NIK,NAMA\n1,"open\n2,B\n');
    expect(r[1]).toMatchObject({ line: 2, unterminated: true });
  });

  it('replaces undecodable bytes with U+FFFD so the caller can dead-letter the row', async () => {
    const r = await rows(Buffer.concat([Buffer.from('NIK,NAMA\n1,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
    expect(r[1]?.cells[1]).toContain('\ufffd');
  });

  it('reads rows that straddle read chunks', async () => {
    const lines = ['NIK;NAMA'];
    for (let i = 0; i < 20000; i++) lines.push(`${1571000000000000 + i};"NAMA ${i}"`);
    const r = await rows(lines.join('\r\n'));
    expect(r).toHaveLength(20001);
    expect(r[12345]).toEqual({ line: 12346, cells: [String(1571000000000000 + 12344), 'NAMA 12344'] });
  });
});

describe('readCsvRows: broken quotes and long lines (issue 6)', () => {
  it('a quoted field still open after maxQuotedLines lines: its first line is unterminated, the lines after it are rows again', async () => {
    const body = Array.from({ length: 25 }, (_, i) => `${i},B${i}`).join('\n');
    const r = await rows(`NIK,NAMA\n1,"OPEN\n${body}\n`);
    expect(r[1]).toEqual({ line: 2, cells: [], unterminated: true });
    expect(r.slice(2).map((x) => x.line)).toEqual(Array.from({ length: 25 }, (_, i) => i + 3));
    expect(r[2]).toEqual({ line: 3, cells: ['0', 'B0'] });
  });

  it('a quoted field closing on its 20th line is one row', async () => {
    const inner = Array.from({ length: 18 }, (_, i) => `L${i}`).join('\n');
    const r = await rows(`NIK,NAMA\n1,"FIRST\n${inner}\nLAST"\n2,B\n`);
    expect(r[1]?.line).toBe(2);
    expect(r[1]?.cells[1]).toBe(`FIRST\n${inner}\nLAST`);
    expect(r[2]).toEqual({ line: 22, cells: ['2', 'B'] });
  });

  it('an open quote that reaches the character limit is given up at once', async () => {
    const limits = { ...DEFAULT_READER_LIMITS, maxLineBytes: 1024 };
    const r = await rows(`NIK,NAMA\n1,"${'x'.repeat(600)}\n${'y'.repeat(600)}\n2,B\n`, limits);
    expect(r.slice(1)).toEqual([
      { line: 2, cells: [], unterminated: true },
      { line: 3, cells: ['y'.repeat(600)] },
      { line: 4, cells: ['2', 'B'] },
    ]);
  });

  it('a line over maxLineBytes is a tooLong row; the next line is read', async () => {
    const limits = { ...DEFAULT_READER_LIMITS, maxLineBytes: 1024 };
    const r = await rows(`NIK,NAMA\n1,${'x'.repeat(5000)}\n2,B\n`, limits);
    expect(r.slice(1)).toEqual([
      { line: 2, cells: [], tooLong: true },
      { line: 3, cells: ['2', 'B'] },
    ]);
  });

  it('CR-only line endings (old Mac exports) are line breaks', async () => {
    expect(await rows('NIK,NAMA\r1,"A\rB"\r2,C\r')).toEqual([
      { line: 1, cells: ['NIK', 'NAMA'] },
      { line: 2, cells: ['1', 'A\nB'] },
      { line: 4, cells: ['2', 'C'] },
    ]);
  });
});

describe('detectDelimiter', () => {
  it('prefers ; when it dominates, even with decimal commas in values', () => {
    expect(detectDelimiter('NIK;NAMA;TGL\n1,57101E+15;A;1\n')).toBe(';');
    expect(detectDelimiter('NIK,NAMA\n"1;2",A\n')).toBe(',');
  });
});
