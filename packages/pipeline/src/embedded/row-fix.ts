import type { Field, RawBatch, RejectedRow, Source } from '@padan/contracts';

/** A corrected row (`padan dlq redrive --fixes FILE`) that takes the place of one dead letter. */
export interface Fix {
  readonly source: Source;
  readonly file: string;
  readonly row: number;
  readonly fields: readonly Field[];
  readonly values: readonly string[];
  /** Where the fix came from, for messages: the fixes file's name and its row (CSV line or JSONL line). */
  readonly fixesFile: string;
  readonly fixesRow: number;
}

export function fixKey(source: string, file: string, row: number): string {
  return `${source}/${file}#${row}`;
}

/**
 * The record a fix replays: the dead letter's own lineage (period, source, file, run id, format)
 * and row number, with the corrected values. Used by the embedded redrive; a distributed redrive
 * publishes the same batch to the raw topic.
 */
export function fixedRawBatch(fix: Fix, deadLetter: RejectedRow): RawBatch {
  return {
    v: 1,
    period: deadLetter.period,
    source: deadLetter.source,
    file: deadLetter.file,
    runId: deadLetter.runId,
    format: deadLetter.format,
    fields: [...fix.fields],
    rows: [[deadLetter.row, [...fix.values]]],
  };
}
