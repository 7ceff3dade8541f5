import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import { FINDINGS_COLUMNS } from './findings-row.js';
import type { FindingsRow } from './findings-row.js';

/** The identity of a finding: always present, so REQUIRED. */
const REQUIRED_COLUMNS: ReadonlySet<string> = new Set(['period', 'program', 'source_file', 'source_row']);
/** Columns written as LIST<STRING>: a finding's reasons, their details and its warnings. */
export const LIST_COLUMNS: ReadonlySet<string> = new Set(['reasons', 'details', 'warnings']);
const TEXT = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;

/**
 * The Parquet schema of findings.parquet, as pyarrow writes the same types (converted and logical
 * types both, the three-level LIST with `list`/`element`), so DuckDB, pandas and Spark read
 * `VARCHAR`, `INTEGER` and `VARCHAR[]`:
 * - `source_row` INT32, the identity columns REQUIRED;
 * - every other text column OPTIONAL: an absent value is NULL, never `""`;
 * - `reasons`, `details`, `warnings` REQUIRED lists of REQUIRED strings: a finding without
 *   details has the empty list, so `len(details) = 0` and `list_contains` answer false, not NULL.
 */
export const FINDINGS_PARQUET_SCHEMA: readonly SchemaElement[] = [
  { name: 'root', num_children: FINDINGS_COLUMNS.length },
  ...FINDINGS_COLUMNS.flatMap((name): SchemaElement[] => {
    if (name === 'source_row') return [{ name, type: 'INT32', repetition_type: 'REQUIRED' }];
    if (LIST_COLUMNS.has(name)) {
      return [
        { name, repetition_type: 'REQUIRED', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', ...TEXT, repetition_type: 'REQUIRED' },
      ];
    }
    return [{ name, ...TEXT, repetition_type: REQUIRED_COLUMNS.has(name) ? 'REQUIRED' : 'OPTIONAL' }];
  }),
];

/** One row group's column data for FINDINGS_PARQUET_SCHEMA: `''` becomes NULL, lists stay lists. */
export function findingsParquetColumns(rows: readonly FindingsRow[]): ColumnSource[] {
  return FINDINGS_COLUMNS.map((name, i) => {
    if (name === 'source_row') return { name, data: Int32Array.from(rows, (r) => r[i] as number) };
    if (LIST_COLUMNS.has(name) || REQUIRED_COLUMNS.has(name)) return { name, data: rows.map((r) => r[i]) };
    return { name, data: rows.map((r) => (r[i] === '' ? null : r[i])) };
  });
}
