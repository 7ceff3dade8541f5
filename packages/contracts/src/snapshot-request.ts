import { z } from 'zod';
import { defineContract } from './contract.js';
import { periodSchema, sourceSchema } from './lineage.js';

/**
 * Asks report for a snapshot of a period (`padan snapshot`, `padan run --mode distributed`).
 * `expect` lists the files the period must hold; report answers once each of them is completely
 * accounted for, so a snapshot never misses rows still in flight. `requestId` comes back in the
 * announcement's `requestId`.
 */
export const snapshotRequestSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1),
  period: periodSchema,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  expect: z.array(z.object({ source: sourceSchema, file: z.string().min(1) })).default([]),
});
export type SnapshotRequest = z.infer<typeof snapshotRequestSchema>;
export const SnapshotRequestContract = defineContract('snapshot-request', 1, snapshotRequestSchema);
