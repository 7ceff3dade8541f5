import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvObjects } from '../../../test/helpers/csv.js';
import { duckdbRows, duckdbTypes, sqlText } from '../../../test/helpers/duckdb.js';
import { FINDINGS_COLUMNS } from './findings-row.js';
import type { FindingsRow } from './findings-row.js';
import { FINDINGS_ROW_GROUP, FindingsWriter } from './findings-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-findings-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function row(i: number): FindingsRow {
  const nik = String(1571010000000000 + i);
  return ['2021-09', 'PBI', 'pbi.csv', i + 1, nik, nik, `157101******${nik.slice(12)}`, `NAMA ${i}`, 'NAME_MISMATCH', ['NAME_MISMATCH'], [], [], '', '', '1571'];
}

/** Findings of every shape: absent values, several reasons and details, a detail holding `;`, a warning. */
const VARIED: FindingsRow[] = [
  ['2021-09', 'BST', 'bst.jsonl', 3, '', '', '', '', 'INVALID_NIK', ['INVALID_NIK'], ['INVALID_NIK:EMPTY'], [], '', '', ''],
  ['2021-09', 'BST', 'bst.jsonl', 7, '1571010101900001', '1571010101900001', '157101******0001', 'SITI AMINAH', 'PROGRAM_CONFLICT', ['PROGRAM_CONFLICT'], ['PROGRAM_CONFLICT:PKH', 'PROGRAM_CONFLICT:SEMBAKO'], [], '', 'H-0001', '1571'],
  ['2021-09', 'PKH', 'pkh;v2.xlsx', 12, '157101010190002', '', '', 'BUDI', 'NOT_IN_DTKS', ['NOT_IN_DTKS', 'DUPLICATE_IN_PROGRAM'], ['DUPLICATE_IN_PROGRAM:FIRST=pkh;v2.xlsx#4'], ['NAME_TRUNCATED'], '1571010101900002', '', '1571'],
  ['2021-09', 'SEMBAKO', 'sembako.csv', 40, '1571010101900003', '1571010101900003', '157101******0003', 'ÑOMAN', 'DECEASED', ['DECEASED', 'NAME_MISMATCH'], [], [], '', 'H-0003', '1505'],
];

async function write(rows: readonly FindingsRow[]): Promise<string> {
  const out = mkdtempSync(join(dir, 'out-'));
  const writer = new FindingsWriter(out);
  await writer.start();
  for (const r of rows) await writer.add(r);
  await writer.finish();
  return out;
}

describe('FindingsWriter', () => {
  it('buffers at most FINDINGS_ROW_GROUP findings: a larger file is written as several row groups, rows in order', async () => {
    const rows = 2 * FINDINGS_ROW_GROUP + 1;
    const out = await write(Array.from({ length: rows }, (_, i) => row(i)));

    const file = await asyncBufferFromFile(join(out, 'findings.parquet'));
    const meta = await parquetMetadataAsync(file);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([FINDINGS_ROW_GROUP, FINDINGS_ROW_GROUP, 1]);
    const read = await parquetReadObjects({ file, columns: ['source_row', 'nik', 'reasons', 'details'] });
    expect(read).toHaveLength(rows);
    for (let i = 0; i < rows; i += FINDINGS_ROW_GROUP / 2) expect(read[i]).toEqual({ source_row: i + 1, nik: String(1571010000000000 + i), reasons: ['NAME_MISMATCH'], details: [] });
    expect(read[rows - 1]).toMatchObject({ source_row: rows, nik: String(1571010000000000 + rows - 1) });

    // DuckDB over the row groups: each finding once.
    const [counts] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT source_row)::INTEGER AS distinct_rows, min(source_row) AS lo, max(source_row) AS hi,
         sum(len(reasons))::INTEGER AS reasons, sum(len(details))::INTEGER AS details, count(suggested_nik)::INTEGER AS suggested
       FROM read_parquet(${sqlText(join(out, 'findings.parquet'))})`,
    );
    expect(counts).toEqual({ n: rows, distinct_rows: rows, lo: 1, hi: rows, reasons: rows, details: 0, suggested: 0 });
  });

  it('writes Parquet DuckDB reads with real types: INTEGER source_row, NULL for an absent value, VARCHAR[] for reasons, details, warnings', async () => {
    const parquet = sqlText(join(await write(VARIED), 'findings.parquet'));

    expect(await duckdbTypes(`SELECT * FROM read_parquet(${parquet})`)).toEqual({
      period: 'VARCHAR', program: 'VARCHAR', source_file: 'VARCHAR', source_row: 'INTEGER',
      nik_raw: 'VARCHAR', nik: 'VARCHAR', nik_masked: 'VARCHAR', nama: 'VARCHAR', outcome: 'VARCHAR',
      reasons: 'VARCHAR[]', details: 'VARCHAR[]', warnings: 'VARCHAR[]',
      suggested_nik: 'VARCHAR', dtks_household_id: 'VARCHAR', regency_code: 'VARCHAR',
    });
    // The footer as pyarrow writes these types: converted and logical types, three-level lists.
    const schema = await duckdbRows(`SELECT name, type, repetition_type, converted_type, logical_type::VARCHAR AS logical FROM parquet_schema(${parquet}) WHERE name IN ('source_row', 'program', 'nama', 'reasons', 'list', 'element')`);
    expect(schema.slice(0, 6)).toEqual([
      { name: 'program', type: 'BYTE_ARRAY', repetition_type: 'REQUIRED', converted_type: 'UTF8', logical: 'StringType()' },
      { name: 'source_row', type: 'INT32', repetition_type: 'REQUIRED', converted_type: null, logical: null },
      { name: 'nama', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8', logical: 'StringType()' },
      { name: 'reasons', type: null, repetition_type: 'REQUIRED', converted_type: 'LIST', logical: 'ListType()' },
      { name: 'list', type: null, repetition_type: 'REPEATED', converted_type: null, logical: null },
      { name: 'element', type: 'BYTE_ARRAY', repetition_type: 'REQUIRED', converted_type: 'UTF8', logical: 'StringType()' },
    ]);

    // Empty values are NULL, never ''.
    const empties = await duckdbRows(
      `SELECT ${['nik_raw', 'nik', 'nik_masked', 'nama', 'suggested_nik', 'dtks_household_id', 'regency_code'].map((c) => `count(*) FILTER (WHERE ${c} IS NULL)::INTEGER AS ${c}_null, count(*) FILTER (WHERE ${c} = '')::INTEGER AS ${c}_blank`).join(', ')} FROM read_parquet(${parquet})`,
    );
    expect(empties).toEqual([{ nik_raw_null: 1, nik_raw_blank: 0, nik_null: 2, nik_blank: 0, nik_masked_null: 2, nik_masked_blank: 0, nama_null: 1, nama_blank: 0, suggested_nik_null: 3, suggested_nik_blank: 0, dtks_household_id_null: 2, dtks_household_id_blank: 0, regency_code_null: 1, regency_code_blank: 0 }]);
    expect((await duckdbRows(`SELECT * FROM read_parquet(${parquet}) WHERE source_row = 3`))[0]).toEqual({
      period: '2021-09', program: 'BST', source_file: 'bst.jsonl', source_row: 3, nik_raw: null, nik: null, nik_masked: null, nama: null,
      outcome: 'INVALID_NIK', reasons: ['INVALID_NIK'], details: ['INVALID_NIK:EMPTY'], warnings: [], suggested_nik: null, dtks_household_id: null, regency_code: null,
    });

    // Lists are lists: their lengths, unnest, list_contains; an element may hold ';'.
    expect(await duckdbRows(`SELECT source_row, len(reasons) AS r, len(details) AS d, len(warnings) AS w, list_contains(reasons, 'NAME_MISMATCH') AS name FROM read_parquet(${parquet}) ORDER BY source_row`)).toEqual([
      { source_row: 3, r: 1n, d: 1n, w: 0n, name: false },
      { source_row: 7, r: 1n, d: 2n, w: 0n, name: false },
      { source_row: 12, r: 2n, d: 1n, w: 1n, name: false },
      { source_row: 40, r: 2n, d: 0n, w: 0n, name: true },
    ]);
    expect(await duckdbRows(`SELECT reason, count(*)::INTEGER AS n FROM (SELECT unnest(reasons) AS reason FROM read_parquet(${parquet})) GROUP BY ALL ORDER BY reason`)).toEqual([
      { reason: 'DECEASED', n: 1 }, { reason: 'DUPLICATE_IN_PROGRAM', n: 1 }, { reason: 'INVALID_NIK', n: 1 },
      { reason: 'NAME_MISMATCH', n: 1 }, { reason: 'NOT_IN_DTKS', n: 1 }, { reason: 'PROGRAM_CONFLICT', n: 1 },
    ]);
    expect(await duckdbRows(`SELECT unnest(details) AS detail FROM read_parquet(${parquet}) WHERE source_row = 12`)).toEqual([{ detail: 'DUPLICATE_IN_PROGRAM:FIRST=pkh;v2.xlsx#4' }]);
  });

  it('holds the same findings as the CSV: NULL where the CSV cell is empty, each list its `;`-joined cell', async () => {
    const out = await write(VARIED);
    const csv = await readCsvObjects(join(out, 'findings.csv'));
    const parquet = await duckdbRows(`SELECT * FROM read_parquet(${sqlText(join(out, 'findings.parquet'))})`);
    expect(parquet).toHaveLength(csv.length);
    parquet.forEach((p, i) => {
      const text = Object.fromEntries(FINDINGS_COLUMNS.map((c) => [c, p[c] === null ? '' : Array.isArray(p[c]) ? p[c].join(';') : String(p[c])]));
      expect(text).toEqual(csv[i]);
    });
  });

  it('writes byte-identical Parquet for the same findings', async () => {
    const rows = [...VARIED, ...Array.from({ length: 300 }, (_, i) => row(i))];
    const [a, b] = [await write(rows), await write(rows)];
    expect(readFileSync(join(a, 'findings.parquet')).equals(readFileSync(join(b, 'findings.parquet')))).toBe(true);
  });
});
