import { z } from 'zod';
import { defineContract } from './contract.js';
import { periodSchema } from './lineage.js';

/**
 * The DTKS index changelog (compacted, keyed `period/nik/file#row`): one entry per DTKS row,
 * `persons` holding that one row in the packed form the match state stores, so no message grows
 * with how many rows share a NIK (a placeholder NIK may be held by 10 000 rows). The index can be
 * rebuilt from it when Redis has lost it.
 */
export const dtksIndexEntrySchema = z.object({
  v: z.literal(1),
  period: periodSchema,
  nik: z.string().min(1),
  persons: z.array(z.string()),
});
export type DtksIndexEntry = z.infer<typeof dtksIndexEntrySchema>;
export const DtksIndexEntryContract = defineContract('dtks-index-entry', 1, dtksIndexEntrySchema);
