import { z } from 'zod';
import { REASONS } from './reason-codes.js';
import { defineContract } from './contract.js';
import { periodSchema, sourceSchema } from './lineage.js';

/**
 * Dashboard-facing: one per flagged record, keyed by the record's identity. Carries no raw NIK and
 * no name: `nikMasked` shows the first four and last four digits, `nikHash` is an HMAC-SHA256 of the
 * cleaned NIK with the deployment's key, so dashboards can link records without knowing identities.
 */
export const mismatchEventSchema = z.object({
  v: z.literal(1),
  period: periodSchema,
  program: sourceSchema,
  file: z.string(),
  row: z.number().int().positive(),
  nikMasked: z.string(),
  nikHash: z.string().regex(/^[0-9a-f]{64}$/),
  outcome: z.enum(REASONS),
  reasons: z.array(z.enum(REASONS)),
  details: z.array(z.string()),
  regency: z.string().nullable(),
  hasSuggestion: z.boolean(),
});
export type MismatchEvent = z.infer<typeof mismatchEventSchema>;
export const MismatchEventContract = defineContract('mismatch-event', 1, mismatchEventSchema);
