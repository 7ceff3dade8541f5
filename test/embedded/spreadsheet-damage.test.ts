import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadRules, runEmbedded } from '@padan/cli';
import { readXlsxRows } from '@padan/io';
import { readCsvObjects } from '../helpers/csv.js';
import { GOLDEN_DIR, tempDir } from '../helpers/golden.js';

const WORKBOOK = fileURLToPath(new URL('../fixtures/libreoffice/pkh-calc.xlsx', import.meta.url));

/**
 * A program file that went through a spreadsheet (LibreOffice Calc): NIKs stored as numbers keep
 * 15 significant digits. padan must read the cells' exact text, flag the damage, and still find
 * the person where the birth date (now a date serial) and the name allow.
 */
describe('a program file saved by a spreadsheet', () => {
  it('reads numeric NIK cells as their exact stored digits and date serials as numbers', async () => {
    const rows = [];
    for await (const r of readXlsxRows(WORKBOOK)) rows.push(r);
    expect(rows[1]?.values.slice(0, 4)).toEqual(['1571011505800000', 'M. YUSUF', '1571010101100000', '29356']);
  });

  it('flags the damaged NIKs and suggests the DTKS NIK where one person fits', async () => {
    const r = await runEmbedded({
      period: '2021-09',
      inputs: [
        { source: 'DTKS', path: join(GOLDEN_DIR, 'dtks.csv') },
        { source: 'PKH', path: WORKBOOK },
      ],
      outDir: tempDir('calc'),
      date: '2021-09-30',
      rules: loadRules(),
      hashKey: 'k',
      padanVersion: 'test',
    });
    const findings = (await readCsvObjects(join(r.snapshotDir, 'restricted/findings.csv'))).filter((f) => f.program === 'PKH');
    const byRow = Object.fromEntries(findings.map((f) => [f.source_row, `${f.details || f.reasons}>${f.suggested_nik}`]));
    // 16th digit rounded to 0: serial 0000 is impossible; the birth date serial 29356 = 1980-05-15 and the name fit.
    expect(byRow['1']).toBe('INVALID_NIK:SERIAL>1571011505800001');
    // ...0005 rounded at 15 digits carries into the 15th: 1502021212650010, still found.
    expect(byRow['5']).toBe('NOT_IN_DTKS>1502021212650005');
    // A different birth date in the file: no suggestion, never a guess.
    expect(byRow['6']).toBe('NOT_IN_DTKS>');
    expect(JSON.parse(readFileSync(join(r.snapshotDir, 'dashboard/summary.json'), 'utf8')).files.every((f: { accounted: boolean }) => f.accounted)).toBe(true);
  });
});
