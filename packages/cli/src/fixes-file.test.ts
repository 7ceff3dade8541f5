import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixesFile } from './fixes-file.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-fixes-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readFixesFile', () => {
  it('reads a CSV with a BOM and ; as delimiter, fields under canonical names in any case', async () => {
    const f = await readFixesFile(file('fixes.csv', '\uFEFFSource;File;Row;NIK;Nama\nbst;bst.csv;3;1571020101700003;RUSLI\n'));
    expect(f.fixes).toEqual([{ source: 'BST', file: 'bst.csv', row: 3, fields: ['nik', 'nama'], values: ['1571020101700003', 'RUSLI'], fixesFile: 'fixes.csv', fixesRow: 2 }]);
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the digits of a NIK written as a JSON number above 2^53', async () => {
    const f = await readFixesFile(file('fixes.jsonl', '{"program":"PKH","source_file":"pkh.csv","source_row":7,"nik":9101011203850001,"nama":"A","reason":"RAGGED_ROW"}\n'));
    expect(f.fixes[0]?.values).toEqual(['9101011203850001', 'A']);
  });

  it('refuses a file without rows, a missing nik, a DTKS fix without nama', async () => {
    await expect(readFixesFile(file('empty.csv', 'source,file,row,nik\n'))).rejects.toThrow(/empty\.csv: no fixed rows in the file \[rule FIX_ROW\]/);
    await expect(readFixesFile(file('no-nik.csv', 'source,file,row,nama\nPKH,p.csv,1,A\n'))).rejects.toThrow(/no-nik\.csv row 2: the nik field is required.*\[rule FIX_FIELD\]/);
    await expect(readFixesFile(file('dtks.csv', 'source,file,row,nik\nDTKS,d.csv,1,1\n'))).rejects.toThrow(/dtks\.csv row 2: a DTKS row needs the nama field \[rule FIX_FIELD\]/);
    await expect(readFixesFile(file('fixes.xlsx', 'x'))).rejects.toThrow(/unsupported fixes file type "\.xlsx".*\[rule FORMAT\]/);
  });
});
