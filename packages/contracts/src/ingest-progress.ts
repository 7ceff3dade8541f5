import { z } from 'zod';
import { defineContract } from './contract.js';
import { fileCompletedSchema } from './file-completed.js';

/**
 * How far ingest got with a landing object, committed in the same Kafka transaction as the rows it
 * covers (compacted, keyed by the landing key). A restarted ingest resumes after `lastRow`, so no
 * row is published twice; `completed` is set once the file is done.
 */
export const ingestProgressSchema = z.object({
  v: z.literal(1),
  key: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  lastRow: z.number().int().nonnegative(),
  completed: fileCompletedSchema.nullable(),
});
export type IngestProgress = z.infer<typeof ingestProgressSchema>;
export const IngestProgressContract = defineContract('ingest-progress', 1, ingestProgressSchema);
