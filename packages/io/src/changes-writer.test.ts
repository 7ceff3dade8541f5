import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANGES_COLUMNS, CHANGES_ROW_GROUP, ChangesWriter } from './changes-writer.js';
import type { ChangesRow } from './changes-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function row(i: number, over: Partial<ChangesRow> = {}): ChangesRow {
  return {
    periodBefore: '2021-08', periodAfter: '2021-09', program: 'PKH', regency: '1571', category: 'changed', nikMasked: '1571********0001',
    keyHash: i.toString(16).padStart(64, '0'), reasonsBefore: ['NAME_MISMATCH'], reasonsAfter: ['NAME_MISMATCH', 'DUPLICATE_IN_PROGRAM'], recordsBefore: 1, recordsAfter: 2, ...over,
  };
}

async function write(name: string, rows: ChangesRow[]): Promise<{ csv: string; parquet: string }> {
  const csv = join(dir, `${name}.csv`);
  const parquet = join(dir, `${name}.parquet`);
  const w = new ChangesWriter(csv, parquet);
  await w.start();
  for (const r of rows) await w.add(r);
  await w.finish();
  return { csv, parquet };
}

describe('ChangesWriter', () => {
  it('writes the CSV with reasons joined by ; and the Parquet with lists and NULLs', async () => {
    const files = await write('small', [row(1), row(2, { regency: '', nikMasked: '', category: 'new', reasonsBefore: [], recordsBefore: 0 })]);
    const csv = readFileSync(files.csv, 'utf8').split('\n');
    expect(csv[0]).toBe(CHANGES_COLUMNS.join(','));
    expect(csv[1]).toBe(`2021-08,2021-09,PKH,1571,changed,1571********0001,${row(1).keyHash},NAME_MISMATCH,NAME_MISMATCH;DUPLICATE_IN_PROGRAM,1,2`);
    expect(csv[2]).toBe(`2021-08,2021-09,PKH,,new,,${row(2).keyHash},,NAME_MISMATCH;DUPLICATE_IN_PROGRAM,0,2`);
    const objects = await parquetReadObjects({ file: await asyncBufferFromFile(files.parquet) });
    expect(objects).toEqual([
      { period_before: '2021-08', period_after: '2021-09', program: 'PKH', regency_code: '1571', category: 'changed', nik_masked: '1571********0001', key_hash: row(1).keyHash, reasons_before: ['NAME_MISMATCH'], reasons_after: ['NAME_MISMATCH', 'DUPLICATE_IN_PROGRAM'], records_before: 1, records_after: 2 },
      { period_before: '2021-08', period_after: '2021-09', program: 'PKH', regency_code: null, category: 'new', nik_masked: null, key_hash: row(2).keyHash, reasons_before: [], reasons_after: ['NAME_MISMATCH', 'DUPLICATE_IN_PROGRAM'], records_before: 0, records_after: 2 },
    ]);
  });

  it('writes an empty comparison as a header and a Parquet file with no rows', async () => {
    const files = await write('empty', []);
    expect(readFileSync(files.csv, 'utf8')).toBe(`${CHANGES_COLUMNS.join(',')}\n`);
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(files.parquet));
    expect(Number(meta.num_rows)).toBe(0);
  });

  it('buffers one row group at a time', async () => {
    const n = CHANGES_ROW_GROUP + 5;
    const files = await write('groups', Array.from({ length: n }, (_, i) => row(i)));
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(files.parquet));
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([CHANGES_ROW_GROUP, 5]);
    const objects = await parquetReadObjects({ file: await asyncBufferFromFile(files.parquet), columns: ['key_hash'] });
    expect(objects.map((o) => o.key_hash)).toEqual(Array.from({ length: n }, (_, i) => row(i).keyHash));
  });
});
