import { z } from 'zod';
import { defineContract } from './contract.js';
import { periodSchema } from './lineage.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The DTKS index changelog (`padan.dtks-index.v1`, compacted, keyed by dtksIndexEntryKey): one
 * entry per DTKS row holding a valid NIK, with the row's fields as the match state indexes them,
 * so no message grows with how many rows share a NIK (a placeholder NIK may be held by 10 000 rows)
 * and the index can be rebuilt from it when Redis has lost it. A contract with fields: how the
 * state packs them is the state's business (packages/match-state), never the topic's.
 */
export const dtksIndexEntrySchema = z.object({
  v: z.literal(1),
  period: periodSchema,
  /** Cleaned NIK (16 digits). */
  nik: z.string().min(1),
  /** The NIK as written in the file. */
  nikRaw: z.string(),
  file: z.string().min(1),
  row: z.number().int().nonnegative(),
  householdId: z.string().nullable(),
  noKk: z.string().nullable(),
  nama: z.string().nullable(),
  /** The name as compared (core's nameKey). */
  nameKey: z.string(),
  birthDate: isoDate.nullable(),
  regency: z.string().nullable(),
  deceased: z.boolean(),
  warnings: z.array(z.string()),
});
export type DtksIndexEntry = z.infer<typeof dtksIndexEntrySchema>;
export const DtksIndexEntryContract = defineContract('dtks-index-entry', 1, dtksIndexEntrySchema);

/** The message key of an index entry: `period/nik/file#row`, one per DTKS row, so compaction keeps every row. */
export function dtksIndexEntryKey(e: Pick<DtksIndexEntry, 'period' | 'nik' | 'file' | 'row'>): string {
  return `${e.period}/${e.nik}/${e.file}#${e.row}`;
}
