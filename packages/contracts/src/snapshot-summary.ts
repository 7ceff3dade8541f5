import { z } from 'zod';
import { CHECKS } from './match-result.js';
import { REASONS, WARNINGS } from './reason-codes.js';
import { periodSchema } from './lineage.js';
import { SOURCES } from './sources.js';

/** The schema version of snapshot files (summary.json, manifest.json) and of their layout (restricted/, dashboard/). */
export const SNAPSHOT_SCHEMA_VERSION = 2;

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().nonnegative();
const counts = { rows_read: count, clean: count, flagged: count, rejected: count };
const byReason = z.partialRecord(z.enum(REASONS), count);

/**
 * `dashboard/summary.json` of a snapshot: counts per file, program and program × regency × reason,
 * for dashboards. No NIK, No. KK, name or birth date: codes and counts only.
 */
export const snapshotSummarySchema = z.object({
  schema_version: z.literal(SNAPSHOT_SCHEMA_VERSION),
  snapshot_date: dateSchema,
  period: periodSchema,
  totals: z.object(counts),
  files: z.array(z.object({ program: z.enum(SOURCES), source_file: z.string(), format: z.string(), sha256: z.string(), ...counts, accounted: z.boolean() })),
  programs: z.array(
    z.object({
      program: z.enum(SOURCES),
      ...counts,
      outcomes: byReason,
      reasons: byReason,
      warnings: z.partialRecord(z.enum(WARNINGS), count),
      /** Per check, records where it was skipped because a field was absent or empty. */
      not_checked: z.partialRecord(z.enum(CHECKS), count),
      suggestions: count,
    }),
  ),
  regencies: z.array(
    z.object({ program: z.enum(SOURCES), regency_code: z.string(), regency_name: z.string(), records: count, flagged: count, outcomes: byReason, reasons: byReason }),
  ),
  rules_version: z.string(),
});
export type SnapshotSummary = z.infer<typeof snapshotSummarySchema>;
