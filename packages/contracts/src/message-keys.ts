import type { DtksIndexBatch } from './dtks-index-batch.js';
import { recordKey } from './lineage.js';
import type { ResultBatch } from './result-batch.js';
import { rowSetTag } from './row-set-tag.js';

/** `first-last/tag` of a batch's ascending rows: equal only for the same row set (see rowSetTag). */
function rowSet(rows: readonly number[]): string {
  return `${rows[0] ?? 0}-${rows[rows.length - 1] ?? 0}/${rowSetTag(rows)}`;
}

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
  /** A result of the legacy per-record topic (padan.results.v1, compacted per record): the record's identity. */
  result: (r: { period: string; source: string; file: string; row: number }): string => recordKey(r, r.row),
  /**
   * A batch of results (padan.results.v2, compacted): its file, its exact row set and their `seq`s,
   * so that compaction replaces a batch only by a batch of the same results (a redelivery, a
   * replay: equal seq means equal evidence, hence an equal result). Two instances may write one
   * record for a moment (partitions added, held batches released by any instance's poll): with
   * the seqs in the key, a lower-seq batch appended last cannot replace the higher one; report
   * keeps the highest seq whatever survives. The epoch of match's state generation too: a late
   * batch of a lost generation never replaces the rebuilt one's.
   */
  resultBatch: (b: ResultBatch): string =>
    `${b.period}/${b.source}/${b.file}#${rowSet(b.results.map((r) => r[0]))}@${rowSetTag(b.results.map((r) => r[1]))}${b.epoch ? `~${b.epoch}` : ''}`,
  /** A batch of DTKS index entries (padan.dtks-index.v3, compacted): its file and its exact row set. */
  dtksIndexBatch: (b: DtksIndexBatch): string => `${b.period}/DTKS/${b.file}#${rowSet(b.entries.map((e) => e[0]))}`,
  /** A mismatch event: the flagged record's identity. */
  mismatch: (e: { period: string; program: string; file: string; row: number }): string => `${e.period}/${e.program}/${e.file}#${e.row}`,
  /** A request for records to be recomputed by their owner: the first record's identity. */
  reevaluation: (firstRecordKey: string): string => `reevaluate/${firstRecordKey}`,
  /** A status of match's work on a period (padan.match-status.v1, compacted): its period. */
  matchStatus: (period: string): string => period,
  /** A request to publish a period's archived input again: the generation being rebuilt and the period. */
  archiveReplayRequest: (r: { generation: string; period: string }): string => `${r.generation}/${r.period}`,
  /** A snapshot announcement or request: its period. */
  snapshot: (period: string): string => period,
} as const;
