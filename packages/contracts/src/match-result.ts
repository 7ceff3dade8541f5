import { z } from 'zod';
import { REASONS, WARNINGS } from './reason-codes.js';
import { defineContract } from './contract.js';
import { lineageSchema } from './lineage.js';

/** Checks that need a field; when the field is absent or empty the check is skipped and counted. */
export const CHECKS = ['NAME', 'BIRTHDATE', 'REGION', 'FAMILY'] as const;
export type Check = (typeof CHECKS)[number];

/**
 * The reconciliation result of one record, keyed by its identity (period, source, file, row).
 * Match re-emits a result when new evidence changes it; `seq` grows with every emission for the
 * same key, and consumers keep the result with the highest `seq` (latest wins).
 * A record with `outcome: null` is clean (it may still carry warnings).
 */
export const matchResultSchema = lineageSchema.extend({
  v: z.literal(1),
  row: z.number().int().positive(),
  seq: z.number().int().nonnegative(),
  nikRaw: z.string(),
  nik: z.string(),
  nama: z.string().nullable(),
  outcome: z.enum(REASONS).nullable(),
  reasons: z.array(z.enum(REASONS)),
  details: z.array(z.string()),
  warnings: z.array(z.enum(WARNINGS)),
  suggestedNik: z.string().nullable(),
  householdId: z.string().nullable(),
  /** The record's domicile regency, else the DTKS one. */
  regency: z.string().nullable(),
  notChecked: z.array(z.enum(CHECKS)),
});
export type MatchResult = z.infer<typeof matchResultSchema>;
export const MatchResultContract = defineContract('match-result', 1, matchResultSchema);
