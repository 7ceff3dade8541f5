import { z } from 'zod';
import { defineContract } from './contract.js';
import { fieldSchema, lineageSchema } from './lineage.js';

/**
 * Published by ingest once a file has been read to the end. Downstream stages use the counts to
 * know when every row of a file is accounted for: rowsRead = rowsEmitted + rowsRejected.
 */
export const fileCompletedSchema = lineageSchema.extend({
  v: z.literal(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  fields: z.array(fieldSchema),
  headerRow: z.number().int().nonnegative(),
  rowsRead: z.number().int().nonnegative(),
  rowsEmitted: z.number().int().nonnegative(),
  rowsRejected: z.number().int().nonnegative(),
});
export type FileCompleted = z.infer<typeof fileCompletedSchema>;
export const FileCompletedContract = defineContract('file-completed', 1, fileCompletedSchema);
