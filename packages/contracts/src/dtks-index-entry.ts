import { z } from 'zod';
import { defineContract } from './contract.js';
import { periodSchema } from './lineage.js';

/**
 * The DTKS index changelog (compacted, keyed `period/nik`): every row of the release holding the
 * NIK, in the packed form the match state stores. Match rebuilds its index from it when Redis has
 * lost it.
 */
export const dtksIndexEntrySchema = z.object({
  v: z.literal(1),
  period: periodSchema,
  nik: z.string().min(1),
  persons: z.array(z.string()),
});
export type DtksIndexEntry = z.infer<typeof dtksIndexEntrySchema>;
export const DtksIndexEntryContract = defineContract('dtks-index-entry', 1, dtksIndexEntrySchema);
