import { z } from 'zod';
import { INVALID_NIK_DETAILS, WARNINGS } from './reason-codes.js';
import { defineContract } from './contract.js';
import { fieldSchema, lineageSchema } from './lineage.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** One cleaned record. Absent fields are null; `fields` on the batch says which columns existed. */
export const normalizedRecordSchema = z.object({
  row: z.number().int().positive(),
  nikRaw: z.string(),
  /** Cleaned NIK: digits only when cleaning succeeded, else the trimmed raw text. */
  nik: z.string(),
  nikInvalid: z.enum(INVALID_NIK_DETAILS).nullable(),
  /** Sex encoded in the NIK (day + 40 for women). */
  nikSex: z.enum(['L', 'P']).nullable(),
  /** Birth date encoded in the NIK; the century comes from the recorded birth date when there is one. */
  nikBirthDate: isoDate.nullable(),
  noKk: z.string().nullable(),
  nama: z.string().nullable(),
  nameKey: z.string().nullable(),
  birthDate: isoDate.nullable(),
  kodeWilayah: z.string().nullable(),
  /** First four digits of the domicile region code. */
  regency: z.string().nullable(),
  /** DTKS only: household id and whether the person is recorded as deceased. */
  householdId: z.string().nullable(),
  deceased: z.boolean().nullable(),
  warnings: z.array(z.enum(WARNINGS)),
});
export type NormalizedRecord = z.infer<typeof normalizedRecordSchema>;

export const normalizedBatchSchema = lineageSchema.extend({
  v: z.literal(1),
  fields: z.array(fieldSchema),
  records: z.array(normalizedRecordSchema),
  /**
   * Set (with no records) when match asks the owner of this partition to recompute these records'
   * results (record keys): new evidence found by another instance bears on them. Routing the
   * recomputation to the owner keeps one writer per record on the compacted results topic.
   */
  reevaluate: z.array(z.string().min(1)).optional(),
});
export type NormalizedBatch = z.infer<typeof normalizedBatchSchema>;
export const NormalizedBatchContract = defineContract('normalized-batch', 1, normalizedBatchSchema);
