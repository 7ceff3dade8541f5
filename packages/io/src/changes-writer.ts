import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { csvLine } from './csv-cell.js';
import { LineWriter } from './line-writer.js';

/**
 * The columns of changes.csv / changes.parquet: one row per program record key flagged in either
 * of two months. A dashboard output: no NIK and no name, only the masked NIK and a keyed hash.
 */
export const CHANGES_COLUMNS = [
  'period_before',
  'period_after',
  'program',
  'regency_code',
  'category',
  'nik_masked',
  'key_hash',
  'reasons_before',
  'reasons_after',
  'records_before',
  'records_after',
] as const;

export interface ChangesRow {
  readonly periodBefore: string;
  readonly periodAfter: string;
  readonly program: string;
  /** '' when unknown (NULL in Parquet). */
  readonly regency: string;
  readonly category: string;
  /** '' when the NIK has no digits to mask (NULL in Parquet). */
  readonly nikMasked: string;
  readonly keyHash: string;
  readonly reasonsBefore: readonly string[];
  readonly reasonsAfter: readonly string[];
  readonly recordsBefore: number;
  readonly recordsAfter: number;
}

/** Rows per Parquet row group, buffered until written: as for findings, it bounds the writer's memory. */
export const CHANGES_ROW_GROUP = 10_000;

/** hyparquet-writer's own schema element type (it pins its own hyparquet). */
type SchemaElement = NonNullable<ConstructorParameters<typeof ParquetWriter>[0]['schema']>[number];

const UTF8 = { type: 'BYTE_ARRAY', converted_type: 'UTF8' } as const;
const list = (name: string): SchemaElement[] => [
  { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', ...UTF8, repetition_type: 'REQUIRED' },
] as const;

/** Reasons are lists (an empty list for the month a key was not flagged); unknown values are NULL. */
const SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: CHANGES_COLUMNS.length },
  { name: 'period_before', ...UTF8, repetition_type: 'REQUIRED' },
  { name: 'period_after', ...UTF8, repetition_type: 'REQUIRED' },
  { name: 'program', ...UTF8, repetition_type: 'REQUIRED' },
  { name: 'regency_code', ...UTF8, repetition_type: 'OPTIONAL' },
  { name: 'category', ...UTF8, repetition_type: 'REQUIRED' },
  { name: 'nik_masked', ...UTF8, repetition_type: 'OPTIONAL' },
  { name: 'key_hash', ...UTF8, repetition_type: 'REQUIRED' },
  ...list('reasons_before'),
  ...list('reasons_after'),
  { name: 'records_before', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'records_after', type: 'INT32', repetition_type: 'REQUIRED' },
];

/** Writes changes.csv and changes.parquet in one pass over rows already in order. */
export class ChangesWriter {
  private readonly csv: LineWriter;
  private readonly parquet: ParquetWriter;
  private group: ChangesRow[] = [];

  constructor(csvPath: string, parquetPath: string) {
    this.csv = new LineWriter(csvPath);
    this.parquet = new ParquetWriter({ writer: fileWriter(parquetPath), schema: SCHEMA.map((e) => ({ ...e })), createdBy: 'padan' });
  }

  async start(): Promise<void> {
    await this.csv.write(csvLine(CHANGES_COLUMNS));
  }

  async add(r: ChangesRow): Promise<void> {
    await this.csv.write(
      csvLine([r.periodBefore, r.periodAfter, r.program, r.regency, r.category, r.nikMasked, r.keyHash, r.reasonsBefore.join(';'), r.reasonsAfter.join(';'), r.recordsBefore, r.recordsAfter]),
    );
    this.group.push(r);
    if (this.group.length >= CHANGES_ROW_GROUP) await this.flushGroup();
  }

  private async flushGroup(): Promise<void> {
    if (this.group.length === 0) return;
    const g = this.group;
    const orNull = (v: string) => (v === '' ? null : v);
    await this.parquet.write({
      columnData: [
        { name: 'period_before', data: g.map((r) => r.periodBefore) },
        { name: 'period_after', data: g.map((r) => r.periodAfter) },
        { name: 'program', data: g.map((r) => r.program) },
        { name: 'regency_code', data: g.map((r) => orNull(r.regency)) },
        { name: 'category', data: g.map((r) => r.category) },
        { name: 'nik_masked', data: g.map((r) => orNull(r.nikMasked)) },
        { name: 'key_hash', data: g.map((r) => r.keyHash) },
        { name: 'reasons_before', data: g.map((r) => [...r.reasonsBefore]) },
        { name: 'reasons_after', data: g.map((r) => [...r.reasonsAfter]) },
        { name: 'records_before', data: Int32Array.from(g, (r) => r.recordsBefore) },
        { name: 'records_after', data: Int32Array.from(g, (r) => r.recordsAfter) },
      ],
      rowGroupSize: CHANGES_ROW_GROUP,
    });
    this.group = [];
  }

  async finish(): Promise<void> {
    await this.flushGroup();
    await this.parquet.finish();
    await this.csv.close();
  }
}
