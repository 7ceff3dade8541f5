import { DuckDBInstance } from '@duckdb/node-api';
import type { JS } from '@duckdb/node-api';

/** A result row: column name → JS value (NULL is null, a LIST an array, BIGINT a bigint). */
export type DuckDbRow = Record<string, JS>;

/**
 * Runs SQL over files with a fresh in-memory DuckDB and returns every row, as an analyst's query
 * would see the outputs (`select ... from read_parquet('out/snapshots/**\/findings.parquet')`).
 * Each statement is run in turn; the rows are those of the last. One thread (the test machines'
 * cores are shared) and no extension auto-install or auto-load (the tests run offline; Parquet,
 * CSV and JSON are built in). Build file paths into the SQL with `sqlText`.
 *
 * Counts are BIGINT and come back as bigint: compare with `7n`, or cast (`count(*)::INTEGER`).
 */
export async function duckdbRows(...statements: string[]): Promise<DuckDbRow[]> {
  if (statements.length === 0) throw new Error('duckdbRows: give at least one SQL statement');
  const db = await DuckDBInstance.create(':memory:', { threads: '1', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const connection = await db.connect();
  try {
    let rows: DuckDbRow[] = [];
    for (const sql of statements) rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
    return rows;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** The column names and DuckDB types of a query's result, as `DESCRIBE` gives them: `{ nik: 'VARCHAR', reasons: 'VARCHAR[]' }`. */
export async function duckdbTypes(query: string): Promise<Record<string, string>> {
  const rows = await duckdbRows(`DESCRIBE ${query}`);
  return Object.fromEntries(rows.map((r) => [String(r.column_name), String(r.column_type)]));
}

/** A SQL string literal: a file path or glob, quoted, its quotes doubled. */
export function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
