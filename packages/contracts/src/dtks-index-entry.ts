import { z } from 'zod';
import { periodSchema } from './lineage.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * One entry of the DTKS index changelog: a DTKS row holding a valid NIK, with its fields as the
 * match state indexes them. The topic (`padan.dtks-index.v3`) carries them many per message, as
 * tuples (see dtks-index-batch.ts); one entry per row, so no entry grows with how many rows share a
 * NIK (a placeholder NIK may be held by 10 000 rows). Fields, not packed strings: how the state
 * packs them is the state's business (packages/match-state), never the topic's.
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
