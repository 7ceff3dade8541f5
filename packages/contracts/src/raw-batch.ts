import { z } from 'zod';
import { defineContract } from './contract.js';
import { fieldSchema, lineageSchema } from './lineage.js';

/**
 * Rows as read from a source file, columns already mapped onto canonical fields.
 * `rows` are tuples `[sourceRow, values]`, with `values[i]` the raw text of `fields[i]`.
 * Raw text is kept verbatim (NIK cleaning is normalize's job).
 */
export const rawBatchSchema = lineageSchema.extend({
  v: z.literal(1),
  fields: z.array(fieldSchema),
  rows: z.array(z.tuple([z.number().int().positive(), z.array(z.string())])),
});
export type RawBatch = z.infer<typeof rawBatchSchema>;
export const RawBatchContract = defineContract('raw-batch', 1, rawBatchSchema);
