import { recordKey } from './lineage.js';

/**
 * The key of every message, one function per kind, so the embedded run and the services key a
 * message the same way (issue 7: the files key was `source/file` in one and `period/source/file` in
 * the other). Keys decide partitions and, on compacted topics, what compaction keeps: a key that
 * changes shape splits one record's history in two.
 */
export const MESSAGE_KEYS = {
  /** A raw batch: its file and first row (partitioning only; the raw topic is not compacted). */
  rawBatch: (b: { period: string; source: string; file: string }, firstRow: number): string => `${b.period}/${b.source}/${b.file}#${firstRow}`,
  /** A normalized batch: its file and first row (normalize gives the partition explicitly). */
  normalizedBatch: (b: { period: string; source: string; file: string }, firstRow: number): string => `${b.period}/${b.source}/${b.file}#${firstRow}`,
  /** A file's completion (compacted per file): one announcement per period, source and file. */
  file: (f: { period: string; source: string; file: string }): string => `${f.period}/${f.source}/${f.file}`,
  /** A dead-lettered row: the identity of the record it would have been. */
  rejectedRow: (r: { period: string; source: string; file: string; row: number }): string => recordKey(r, r.row),
  /** A result (compacted per record): the record's identity. */
  result: (r: { period: string; source: string; file: string; row: number }): string => recordKey(r, r.row),
  /** A mismatch event: the flagged record's identity. */
  mismatch: (e: { period: string; program: string; file: string; row: number }): string => `${e.period}/${e.program}/${e.file}#${e.row}`,
  /** A request for records to be recomputed by their owner: the first record's identity. */
  reevaluation: (firstRecordKey: string): string => `reevaluate/${firstRecordKey}`,
  /** A snapshot announcement or request: its period. */
  snapshot: (period: string): string => period,
} as const;
