import { z } from 'zod';
import { REJECT_REASONS } from './reason-codes.js';
import { defineContract } from './contract.js';
import { lineageSchema } from './lineage.js';

/**
 * A dead letter: a row that could not be parsed at all. `raw` holds the row's text (truncated)
 * so the verval team can repair it; the dead-letter topic and rejected.jsonl are restricted outputs.
 */
export const rejectedRowSchema = lineageSchema.extend({
  v: z.literal(1),
  row: z.number().int().positive(),
  reason: z.enum(REJECT_REASONS),
  message: z.string(),
  raw: z.string(),
});
export type RejectedRow = z.infer<typeof rejectedRowSchema>;
export const RejectedRowContract = defineContract('rejected-row', 1, rejectedRowSchema);
