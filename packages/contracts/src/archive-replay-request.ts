import { z } from 'zod';
import { defineContract } from './contract.js';
import { periodSchema } from './lineage.js';

/**
 * match asks ingest to publish a period's input again from the raw archive in the object store
 * (`raw/period=…/source=…/sha256=…/<file>`), on `padan.archive-replay-requests.v1`.
 *
 * Why: Redis is a cache of what Kafka holds, and match rebuilds a lost state by replaying its
 * input topics; but `padan.raw.v1` and `padan.normalized.v1` keep 7 days, and a period is often
 * matched (or its Redis lost) later than that. When a rebuild finds records of its input deleted
 * (a partition's earliest offset above 0), the period's files come back from the archive: ingest
 * streams every file it completed for the period into `padan.raw.v1` again, with its original
 * lineage (period, source, file, run id, rows), and normalize and match take them as if they had
 * never left the topics. The state's writes are idempotent per row (a redelivery), so rows that
 * were still retained and come twice count once. A closed period (`padan period close`) is asked
 * for the same way when a record of it arrives later.
 */
export const archiveReplayRequestSchema = z.object({
  v: z.literal(1),
  period: periodSchema,
  /** The match state generation being rebuilt, or holding the reopened period (the message key is generation and period). */
  generation: z.string().min(1),
  /**
   * Why the input is asked for again: a rebuild found its input past retention, or a record
   * arrived for a closed period (its evidence dropped; see match-state's PeriodClosing) and the
   * period was reopened. Either way ingest publishes every file it completed for the period.
   */
  reason: z.enum(['INPUT_PAST_RETENTION', 'PERIOD_REOPENED']),
});
export type ArchiveReplayRequest = z.infer<typeof archiveReplayRequestSchema>;
export const ArchiveReplayRequestContract = defineContract('archive-replay-request', 1, archiveReplayRequestSchema);
