import { z } from 'zod';
import { defineContract } from './contract.js';
import { periodSchema } from './lineage.js';

/**
 * What match tells report about a period's work that no offset shows: whether it holds program
 * batches in its state (consumed and committed already, reconciled once the period's DTKS release
 * is complete or a rebuild's replay has caught up), or awaits the period's rows from the raw
 * archive (a reopened closed period, a rebuild past the topics' retention) and not all are back.
 * Published when match holds a batch or starts awaiting a period, before it commits the chunk, and
 * after it released held batches (once their results are published) or saw the last row back.
 *
 * `version` orders statuses across instances: a number every publish takes from one Redis counter
 * before it reads what is held, so the status with the highest version saw every hold and release
 * whose status has a lower one. The counter starts from the Redis clock (microseconds) whenever
 * it is missing, so a Redis flushed or restarted empty still counts upward from every version
 * published before. Report keeps the highest version per period; a period with no status holds
 * nothing.
 */
export const matchStatusSchema = z.object({
  v: z.literal(1),
  period: periodSchema,
  version: z.number().int().nonnegative(),
  /** The state generation that was read (diagnostics). */
  generation: z.string().min(1),
  held: z.boolean(),
});
export type MatchStatus = z.infer<typeof matchStatusSchema>;
export const MatchStatusContract = defineContract('match-status', 1, matchStatusSchema);
