import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FINDINGS_COLUMNS, csvLine } from '@padan/io';
import { readFlaggedRecords } from './flagged-records.js';
import { SnapshotError } from './snapshot-folder.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-flagged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function findings(rows: Record<string, string | number>[]): string {
  const path = join(dir, `findings-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, csvLine(FINDINGS_COLUMNS) + rows.map((r) => csvLine(FINDINGS_COLUMNS.map((c) => r[c] ?? ''))).join(''));
  return path;
}

async function all(path: string) {
  const out = [];
  for await (const r of readFlaggedRecords(path)) out.push(r);
  return out;
}

describe('readFlaggedRecords', () => {
  it('reads program records, leaves DTKS rows out, and keeps no NIK for an invalid one', async () => {
    const path = findings([
      { program: 'DTKS', source_file: 'dtks.csv', source_row: 1, nik: '1571010101900001', reasons: 'DUPLICATE_IN_DTKS' },
      { program: 'PKH', source_file: 'pkh.csv', source_row: 2, nik_raw: "'1571014506850001", nik: '1571014506850001', nama: 'SITI, S.Pd', reasons: 'NAME_MISMATCH;DUPLICATE_IN_PROGRAM', regency_code: '1571' },
      { program: 'BST', source_file: 'bst.jsonl', source_row: 3, nik_raw: '1,57101E+15', nik: '1,57101E+15', nama: 'BUDI', reasons: 'INVALID_NIK', regency_code: '' },
    ]);
    expect(await all(path)).toEqual([
      { program: 'PKH', nik: '1571014506850001', nikRaw: "'1571014506850001", nama: 'SITI, S.Pd', reasons: ['NAME_MISMATCH', 'DUPLICATE_IN_PROGRAM'], regency: '1571' },
      { program: 'BST', nik: '', nikRaw: '1,57101E+15', nama: 'BUDI', reasons: ['INVALID_NIK'], regency: '' },
    ]);
  });

  it('undoes the apostrophe findings.csv puts before formula-like cells', async () => {
    const path = findings([{ program: 'PBI', nik_raw: '="1571"', nik: '="1571"', nama: '-', reasons: 'INVALID_NIK' }]);
    const [r] = await all(path);
    expect(r).toMatchObject({ nikRaw: '="1571"', nama: '-' });
  });

  it('refuses a file without the columns it needs', async () => {
    const path = join(dir, 'other.csv');
    writeFileSync(path, 'program,nik\nPKH,1\n');
    await expect(all(path)).rejects.toThrow(SnapshotError);
    await expect(all(path)).rejects.toThrow(/no column nik_raw, nama, reasons, regency_code/);
  });
});
