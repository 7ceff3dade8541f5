import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readXlsxRows } from '@padan/io';
import { GOLDEN_DIR, tempDir } from '../helpers/golden.js';
import { accountedSummary, runCli, snapshotDirOf } from '../helpers/cli-process.js';

/**
 * Issue 6, defect 11a: a findings.xlsx cell over Excel's 32 767-character limit made a workbook
 * Excel refuses to open. The cell is now cut and marked; findings.csv keeps the whole text.
 */
describe('findings.xlsx with a huge cell', () => {
  it('xlsx_cell_over_limit: a 40 000-character name is truncated and marked in findings.xlsx, whole in findings.csv', async () => {
    const dir = tempDir('cli-xlsx-cell');
    const pkh = join(dir, 'pkh.csv');
    writeFileSync(pkh, `NIK,NAMA\n1.57101E+15,${'N'.repeat(40_000)}\n`);
    const r = runCli(['run', '--period', '2021-09', '--dtks', join(GOLDEN_DIR, 'dtks.csv'), '--program', `PKH=${pkh}`, '--out', join(dir, 'out'), '--date', '2021-09-30']);
    expect(r.code).toBe(0);
    const snap = snapshotDirOf(r);
    accountedSummary(snap);
    let longest = 0;
    let marked = 0;
    for await (const row of readXlsxRows(join(snap, 'restricted/findings.xlsx'))) {
      for (const v of row.values) {
        longest = Math.max(longest, v.length);
        if (v.endsWith('…[truncated]')) marked++;
      }
    }
    expect(longest).toBe(32_767);
    expect(marked).toBe(1);
  });
});
