import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsvRows } from './csv-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-csv-'));
let n = 0;
async function rows(content: string | Buffer) {
  const p = join(dir, `f${n++}.csv`);
  writeFileSync(p, content);
  const out = [];
  for await (const r of readCsvRows(p)) out.push({ line: r.line, cells: r.cells, ...(r.unterminated ? { unterminated: true } : {}) });
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

describe('detectDelimiter', () => {
  it('prefers ; when it dominates, even with decimal commas in values', () => {
    expect(detectDelimiter('NIK;NAMA;TGL\n1,57101E+15;A;1\n')).toBe(';');
    expect(detectDelimiter('NIK,NAMA\n"1;2",A\n')).toBe(',');
  });
});
