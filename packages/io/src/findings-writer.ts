import { join } from 'node:path';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { csvLine } from './csv-cell.js';
import { FINDINGS_PARQUET_SCHEMA, findingsParquetColumns } from './findings-parquet.js';
import { FINDINGS_COLUMNS, NIK_COLUMNS, findingsTextRow } from './findings-row.js';
import type { FindingsRow } from './findings-row.js';
import { LineWriter } from './line-writer.js';
import { createXlsxWriter } from './xlsx-writer.js';
import type { XlsxWriter } from './xlsx-writer.js';

/**
 * Findings per Parquet row group, buffered until the group is written. hyparquet-writer encodes a
 * group whole (each string turned into its own byte array, a dictionary per column), so this sets
 * the writer's peak memory. Measured alone under report's heap flags on 97 000 findings: 50 000
 * per group peaked at 201 MB resident, 20 000 at 145, 10 000 at 114 (24 000 findings: 144 and
 * 110), the file 2 % larger than with 50 000. At 50 000 the snapshot set report's peak RSS and made
 * it grow with the period's findings: 206 MB at 80 000 households (24 000 findings), 274 MB at
 * 320 000 (96 000); at 10 000, 183 and 206 MB.
 */
export const FINDINGS_ROW_GROUP = 10_000;
const COLUMN_WIDTHS = [9, 9, 22, 8, 20, 18, 18, 28, 20, 30, 36, 20, 18, 18, 10];

/**
 * Writes findings.csv, findings.xlsx and findings.parquet in one pass over rows already in order.
 * Parquet rows are buffered one row group (FINDINGS_ROW_GROUP) at a time, so memory stays bounded.
 */
export class FindingsWriter {
  private readonly csv: LineWriter;
  private readonly xlsx: XlsxWriter;
  private readonly parquet: ParquetWriter;
  private group: FindingsRow[] = [];

  constructor(dir: string) {
    this.csv = new LineWriter(join(dir, 'findings.csv'));
    this.xlsx = createXlsxWriter(join(dir, 'findings.xlsx'), { sheetName: 'findings', boldHeader: true, columnWidths: COLUMN_WIDTHS });
    this.parquet = new ParquetWriter({
      writer: fileWriter(join(dir, 'findings.parquet')),
      schema: [...FINDINGS_PARQUET_SCHEMA],
      createdBy: 'padan',
    });
  }

  async start(): Promise<void> {
    await this.csv.write(csvLine(FINDINGS_COLUMNS));
    await this.xlsx.addRow([...FINDINGS_COLUMNS]);
  }

  async add(row: FindingsRow): Promise<void> {
    const text = findingsTextRow(row);
    await this.csv.write(csvLine(text));
    // Every cell is written as text; source_row is the one number. NIKs stay text, never rounded.
    await this.xlsx.addRow(text.map((v, i) => (typeof v === 'number' ? { number: String(v) } : NIK_COLUMNS.has(FINDINGS_COLUMNS[i] as string) || v !== '' ? v : null)));
    this.group.push(row);
    if (this.group.length >= FINDINGS_ROW_GROUP) await this.flushGroup();
  }

  private async flushGroup(): Promise<void> {
    if (this.group.length === 0) return;
    // hyparquet-writer returns a promise when its writer flushes asynchronously: await either way.
    await this.parquet.write({ columnData: findingsParquetColumns(this.group), rowGroupSize: FINDINGS_ROW_GROUP });
    this.group = [];
  }

  async finish(): Promise<void> {
    await this.flushGroup();
    await this.parquet.finish();
    await Promise.all([this.csv.close(), this.xlsx.finish()]);
  }
}
