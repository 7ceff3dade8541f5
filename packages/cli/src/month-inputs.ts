import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { ColumnMapping } from '@padan/core';
import type { Source } from '@padan/contracts';
import { inputChecksum } from '@padan/io';
import { loadMapping } from './config-files.js';
import { configPath, inputPath, readRunRecord, runRecordPath } from './run-record.js';
import { SnapshotError } from './snapshot-folder.js';

export interface MonthInputs {
  /** The program files of the period (DTKS left out: it lists no program record). */
  readonly programs: readonly { readonly source: Source; readonly path: string }[];
  /** The column mapping the run read them with. */
  readonly mapping: Partial<Record<Source, ColumnMapping>>;
}

/**
 * The program input files of a period's embedded run and the mapping it used. The one place that
 * knows where they are: the archived copies `runs/period=P.json` names (`raw/period=P/…`), checked
 * against the checksums the run recorded (a file changed since would list other records).
 */
export async function monthInputs(outDir: string, period: string): Promise<MonthInputs> {
  if (!existsSync(runRecordPath(outDir, period))) {
    throw new SnapshotError(`no embedded run of period ${period} under ${outDir} (${runRecordPath(outDir, period)} is missing): padan diff reads the program files that run recorded; run padan run --period ${period} --out ${outDir} first`);
  }
  const record = readRunRecord(outDir, period);
  const programs = record.inputs.filter((i) => i.source !== 'DTKS');
  for (const input of programs) {
    const path = inputPath(outDir, input);
    const now = await inputChecksum(path);
    if (now.sha256 !== input.sha256) {
      throw new SnapshotError(`${basename(path)} (${input.source}, period ${period}) changed since padan run read it (${path}); run the period again (padan run --period ${period} --out ${outDir}) before comparing`);
    }
  }
  return { programs: programs.map((i) => ({ source: i.source, path: inputPath(outDir, i) })), mapping: loadMapping(configPath(outDir, record.mapping)) };
}
