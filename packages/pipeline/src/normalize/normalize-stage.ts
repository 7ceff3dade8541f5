import type { NormalizedBatch, NormalizedRecord, RawBatch } from '@padan/contracts';
import { fieldIndex, normalizeRecord } from '@padan/core';
import type { RegionCatalog } from '@padan/core';

/** The normalize stage: cleans and validates every row of a raw batch. Pure given the catalog. */
export function normalizeBatch(batch: RawBatch, regions: RegionCatalog): NormalizedBatch {
  const idx = fieldIndex(batch.fields);
  const ctx = { regions, format: batch.format, isDtks: batch.source === 'DTKS', periodYear: Number(batch.period.slice(0, 4)) };
  const rows = batch.rows;
  const records = new Array<NormalizedRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [row, values] = rows[i] as [number, string[]];
    records[i] = normalizeRecord(row, values, idx, ctx);
  }
  return { v: 1, period: batch.period, source: batch.source, file: batch.file, runId: batch.runId, format: batch.format, fields: batch.fields, records };
}
