import { z } from 'zod';
import { periodSchema } from './lineage.js';
import { SOURCES } from './sources.js';
import { SNAPSHOT_SCHEMA_VERSION } from './snapshot-summary.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * `manifest.json` of a snapshot, written last: the inputs with checksums and row counts, the DTKS
 * release and rules they were reconciled with, and the checksum of every output (paths relative
 * to the snapshot folder). Two snapshots of the same inputs, rules and date differ only in
 * `run_id`, `created_at` and `supersedes`.
 */
export const snapshotManifestSchema = z.object({
  schema_version: z.literal(SNAPSHOT_SCHEMA_VERSION),
  period: periodSchema,
  snapshot_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The run that wrote it (a reprocess has its own id). */
  run_id: z.string(),
  created_at: z.iso.datetime(),
  /** The snapshot this one replaced, now under `history/`; null for the first of its period. */
  supersedes: z.object({ date: z.string(), manifest_sha256: sha256, history_prefix: z.string() }).nullable(),
  padan_version: z.string(),
  /** The run ids of the inputs' lineage (one per file). */
  run_ids: z.array(z.string()),
  dtks_release: z.object({
    /** The release's id and first period; a period's own DTKS files are release `<period>` from `<period>`. */
    id: z.string(),
    from: periodSchema,
    files: z.array(z.object({ file: z.string(), sha256: sha256.optional(), rows_read: z.number().int().nonnegative().optional() })),
  }),
  rules: z.object({ version: z.string(), sha256: z.string() }),
  fixes: z.array(z.object({ file: z.string(), sha256, rows: z.number().int().nonnegative() })).optional(),
  inputs: z.array(
    z.object({
      program: z.enum(SOURCES),
      source_file: z.string(),
      format: z.string().optional(),
      sha256: sha256.optional(),
      bytes: z.number().int().nonnegative().optional(),
      header_row: z.number().int().nonnegative().nullable().optional(),
      columns: z.array(z.string()).optional(),
      rows_read: z.number().int().nonnegative().optional(),
      rows_rejected: z.number().int().nonnegative().optional(),
    }),
  ),
  outputs: z.array(z.object({ name: z.string(), sha256, bytes: z.number().int().nonnegative() })),
});
export type SnapshotManifest = z.infer<typeof snapshotManifestSchema>;
