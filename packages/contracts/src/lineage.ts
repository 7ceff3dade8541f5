import { z } from 'zod';
import { FIELDS, PERIOD_PATTERN, SOURCES } from './sources.js';

export const periodSchema = z.string().regex(PERIOD_PATTERN, 'period must be YYYY-MM');
export const sourceSchema = z.enum(SOURCES);
export const fieldSchema = z.enum(FIELDS);
export const formatSchema = z.enum(['csv', 'xlsx', 'jsonl']);
export type InputFormat = z.infer<typeof formatSchema>;

/**
 * Where a batch of records came from. `file` is the base name of the source file; `runId` is a
 * content hash of the run's inputs (see ingest), so replaying the same files gives the same id.
 */
export const lineageSchema = z.object({
  period: periodSchema,
  source: sourceSchema,
  file: z.string().min(1),
  runId: z.string().min(1),
  format: formatSchema,
});
export type Lineage = z.infer<typeof lineageSchema>;

/** A record's identity: unique within a period, stable across replays, independent of arrival. */
export function recordKey(l: { period: string; source: string; file: string }, row: number): string {
  return `${l.period}/${l.source}/${l.file}#${row}`;
}
