import { z } from 'zod';
import { defineContract } from './contract.js';
import { periodSchema } from './lineage.js';

/** Published after a snapshot's manifest is written: where the files are and their checksums. */
export const snapshotAnnouncementSchema = z.object({
  v: z.literal(1),
  period: periodSchema,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  prefix: z.string(),
  /** Set when the snapshot answers a SnapshotRequest. */
  requestId: z.string().optional(),
  objects: z.array(z.object({ key: z.string(), sha256: z.string(), bytes: z.number().int().nonnegative() })),
});
export type SnapshotAnnouncement = z.infer<typeof snapshotAnnouncementSchema>;
export const SnapshotAnnouncementContract = defineContract('snapshot-announcement', 1, snapshotAnnouncementSchema);
