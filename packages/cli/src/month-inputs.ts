import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { ColumnMapping } from '@padan/core';
import type { Source } from '@padan/contracts';
import { inputChecksum } from '@padan/io';
import { loadMapping } from './config-files.js';
import { readRunRecord, runRecordPath } from './run-record.js';
import { SnapshotError } from './snapshot-folder.js';

export interface MonthInputs {
  /** The program files of the period (DTKS left out: it lists no program record). */
  readonly programs: readonly { readonly source: Source; readonly path: string }[];
  /** The column mapping the run read them with. */
  readonly mapping: Partial<Record<Source, ColumnMapping>>;
}

/**
 * The program input files of a period's embedded run and the mapping it used. The one place that
 * knows where they are: today the paths recorded in `runs/period=P.json`, checked against the
 * checksums the run recorded (a file changed since would list other records); the archive of
 * issue 9 (`raw/period=P/…`, addressed by checksum) changes only this function.
 */
export async function monthInputs(outDir: string, period: string): Promise<MonthInputs> {
  if (!existsSync(runRecordPath(outDir, period))) {
    throw new SnapshotError(`no embedded run of period ${period} under ${outDir} (${runRecordPath(outDir, period)} is missing): padan diff reads the program files that run recorded; run padan run --period ${period} --out ${outDir} first`);
  }
  const record = readRunRecord(outDir, period);
  const programs = record.inputs.filter((i) => i.source !== 'DTKS');
  for (const input of programs) {
    const now = await inputChecksum(input.path);
    if (now.sha256 !== input.sha256) {
      throw new SnapshotError(`${basename(input.path)} (${input.source}, period ${period}) changed since padan run read it (${input.path}); run the period again (padan run --period ${period} --out ${outDir}) before comparing`);
    }
  }
  return { programs: programs.map((i) => ({ source: i.source, path: i.path })), mapping: loadMapping(record.mapping ?? undefined) };
}
