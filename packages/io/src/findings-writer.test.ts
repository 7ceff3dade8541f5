import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import type { FindingsRow } from './findings-row.js';
import { FINDINGS_ROW_GROUP, FindingsWriter } from './findings-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-findings-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function row(i: number): FindingsRow {
  const nik = String(1571010000000000 + i);
  return ['2021-09', 'PBI', 'pbi.csv', i + 1, nik, nik, `157101******${nik.slice(12)}`, `NAMA ${i}`, 'MISMATCH', 'NAME_MISMATCH', '', '', '', '', '1571'];
}

describe('FindingsWriter', () => {
  it('buffers at most FINDINGS_ROW_GROUP findings: a larger file is written as several row groups, rows in order', async () => {
    const out = mkdtempSync(join(dir, 'groups-'));
    const rows = 2 * FINDINGS_ROW_GROUP + 1;
    const writer = new FindingsWriter(out);
    await writer.start();
    for (let i = 0; i < rows; i++) await writer.add(row(i));
    await writer.finish();

    const file = await asyncBufferFromFile(join(out, 'findings.parquet'));
    const meta = await parquetMetadataAsync(file);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([FINDINGS_ROW_GROUP, FINDINGS_ROW_GROUP, 1]);
    const read = await parquetReadObjects({ file, columns: ['source_row', 'nik'] });
    expect(read).toHaveLength(rows);
    for (let i = 0; i < rows; i += FINDINGS_ROW_GROUP / 2) expect(read[i]).toEqual({ source_row: i + 1, nik: String(1571010000000000 + i) });
    expect(read[rows - 1]).toEqual({ source_row: rows, nik: String(1571010000000000 + rows - 1) });
  });
});
