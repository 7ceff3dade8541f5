import type { ColumnMapping } from '@padan/core';
import type { Source } from '@padan/contracts';
import { loadMapping } from './config-files.js';
import { readRunRecord } from './run-record.js';

export interface MonthInputs {
  /** The program files of the period (DTKS left out: it lists no program record). */
  readonly programs: readonly { readonly source: Source; readonly path: string }[];
  /** The column mapping the run read them with. */
  readonly mapping: Partial<Record<Source, ColumnMapping>>;
}

/**
 * The program input files of a period's embedded run and the mapping it used. The one place that
 * knows where they are: today the paths recorded in `runs/period=P.json` (files still where the
 * run found them); the archive of issue 9 (`raw/period=P/…`) changes only this function.
 */
export function monthInputs(outDir: string, period: string): MonthInputs {
  const record = readRunRecord(outDir, period);
  return {
    programs: record.inputs.filter((i) => i.source !== 'DTKS').map((i) => ({ source: i.source, path: i.path })),
    mapping: loadMapping(record.mapping ?? undefined),
  };
}
