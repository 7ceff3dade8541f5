import type { MatchResult } from '@padan/contracts';
import { maskNik } from '@padan/core';

/**
 * The columns of findings.csv / .xlsx / .parquet, in order. These files hold full NIKs and names:
 * they are restricted outputs for the verval teams who correct records.
 */
export const FINDINGS_COLUMNS = [
  'period',
  'program',
  'source_file',
  'source_row',
  'nik_raw',
  'nik',
  'nik_masked',
  'nama',
  'outcome',
  'reasons',
  'details',
  'warnings',
  'suggested_nik',
  'dtks_household_id',
  'regency_code',
] as const;

/** Columns that hold NIK digits: written as text cells in XLSX so Excel cannot round them. */
export const NIK_COLUMNS: ReadonlySet<string> = new Set(['nik_raw', 'nik', 'suggested_nik']);

/**
 * One finding, column by column. An absent value is `''`; `reasons`, `details` and `warnings` are
 * lists (the result's own arrays, not copies). CSV and XLSX write them through `findingsTextRow`,
 * Parquet as NULLs and LIST<STRING> columns.
 */
export type FindingsRow = readonly [
  string,
  string,
  string,
  number,
  string,
  string,
  string,
  string,
  string,
  readonly string[],
  readonly string[],
  readonly string[],
  string,
  string,
  string,
];

/** A finding as text cells, as CSV and XLSX show it: each list joined with `;`. */
export function findingsTextRow(row: FindingsRow): (string | number)[] {
  return row.map((v) => (typeof v === 'object' ? v.join(';') : v));
}

export function findingsRow(r: MatchResult): FindingsRow {
  const digits = /^\d+$/.test(r.nik);
  return [
    r.period,
    r.source,
    r.file,
    r.row,
    r.nikRaw,
    r.nik,
    digits ? maskNik(r.nik) : '',
    r.nama ?? '',
    r.outcome ?? '',
    r.reasons,
    r.details,
    r.warnings,
    r.suggestedNik ?? '',
    r.householdId ?? '',
    r.regency ?? '',
  ];
}

/** Orders findings by program, then source file, then numeric row. */
export function compareFindings(a: MatchResult, b: MatchResult): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.row - b.row;
}
