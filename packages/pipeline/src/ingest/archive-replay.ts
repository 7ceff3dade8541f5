import { PERIOD_PATTERN, parseSource } from '@padan/contracts';
import type { FileCompleted, Source } from '@padan/contracts';
import { landingKey } from './landing-key.js';

/** An original archived by ingest under `raw/period=…/source=…/sha256=<hex>/<file>` (see rawArchiveKey). */
export interface ArchivedFile {
  readonly key: string;
  readonly period: string;
  readonly source: Source;
  readonly sha256: string;
  readonly file: string;
}

const ARCHIVE = /^raw\/period=([^/]+)\/source=([^/]+)\/sha256=([0-9a-f]{64})\/([^/]+)$/;

export function parseRawArchiveKey(key: string): ArchivedFile | null {
  const m = ARCHIVE.exec(key);
  if (!m) return null;
  const source = parseSource(m[2] as string);
  if (!source || !PERIOD_PATTERN.test(m[1] as string)) return null;
  return { key, period: m[1] as string, source, sha256: m[3] as string, file: m[4] as string };
}

/** Where the originals of a period are archived. */
export function rawArchivePrefix(period: string): string {
  return `raw/period=${period}/`;
}

/**
 * The archived files to publish again for `period` (an archive replay request of match), in key
 * order, each with the FileCompleted ingest committed for it: the period's input is exactly the
 * files ingest completed, with the checksum it announced. Other originals under the prefix are
 * not (a file replaced under its landing name while it was being read, whose rows ingest never
 * finished), and a file not completed yet is published by the landing poll anyway.
 *
 * @param completedOf the FileCompleted of a landing key from ingest's committed progress, or null.
 */
export function filesToReplay(keys: readonly string[], period: string, completedOf: (landing: string) => FileCompleted | null): { archived: ArchivedFile; completed: FileCompleted }[] {
  const out: { archived: ArchivedFile; completed: FileCompleted }[] = [];
  for (const key of [...keys].sort()) {
    const archived = parseRawArchiveKey(key);
    if (!archived || archived.period !== period) continue;
    const completed = completedOf(landingKey(archived.period, archived.source, archived.file));
    if (completed && completed.sha256 === archived.sha256) out.push({ archived, completed });
  }
  return out;
}

/**
 * Files ingest completed for `period` (from its committed progress) that are not among the
 * archived files to replay: their originals are gone from raw/ (expired, deleted, another
 * checksum), so the period cannot be rebuilt whole from the archive. Landing keys, sorted.
 */
export function missingFromArchive(
  completed: Iterable<{ readonly key: string; readonly completed: FileCompleted | null }>,
  period: string,
  replayed: readonly { archived: ArchivedFile }[],
): string[] {
  const found = new Set(replayed.map((r) => landingKey(r.archived.period, r.archived.source, r.archived.file)));
  const out: string[] = [];
  for (const p of completed) if (p.completed?.period === period && !found.has(p.key)) out.push(p.key);
  return out.sort();
}
