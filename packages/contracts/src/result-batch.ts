import { z } from 'zod';
import { defineContract } from './contract.js';
import { lineageSchema } from './lineage.js';
import { CHECKS } from './match-result.js';
import type { MatchResult } from './match-result.js';
import { REASONS, WARNINGS } from './reason-codes.js';

/**
 * Many results of one file per message (`padan.results.v2`, compacted). One result per message
 * cost kafkajs about 40 µs to produce and 20 µs to consume each, whatever its size: ~2 M results
 * per Jambi month made the results hop the limit of the distributed run.
 *
 * Each result is a positional tuple (the record's lineage is the batch's):
 * `[row, seq, nikRaw, nik, nama, outcome, reasons, details, warnings, suggestedNik, householdId, regency, notChecked]`,
 * the fields of MatchResult v1 in that order. Rows are ascending and distinct within a batch.
 *
 * Compaction keeps the latest message per key, and the key names the batch's file and exact row set
 * (MESSAGE_KEYS.resultBatch): a batch is only ever replaced by a later batch of the same rows, which
 * holds a later result of each of them. So the last result published for every record stays on the
 * topic, whatever compaction removes, and a consumer keeping the highest `seq` per record (report)
 * rebuilds the same view from it after a restart. Superseded batches of other row sets may stay
 * too; they hold lower or equal seqs and change nothing.
 */
export const resultTupleSchema = z.tuple([
  z.number().int().positive(),
  z.number().int().nonnegative(),
  z.string(),
  z.string(),
  z.string().nullable(),
  z.enum(REASONS).nullable(),
  z.array(z.enum(REASONS)),
  z.array(z.string()),
  z.array(z.enum(WARNINGS)),
  z.string().nullable(),
  z.string().nullable(),
  z.string().nullable(),
  z.array(z.enum(CHECKS)),
]);
export type ResultTuple = z.infer<typeof resultTupleSchema>;

export const resultBatchSchema = lineageSchema.extend({
  v: z.literal(1),
  results: z.array(resultTupleSchema).min(1),
  /**
   * The epoch of match's state generation that computed these results (see match's
   * StateGeneration; absent: 0, the embedded run). A rebuilt state replays the whole input and
   * reaches the same final evidence in another order, so `seq`s of two generations do not compare:
   * report keeps a period's results of its newest epoch only.
   */
  epoch: z.number().int().nonnegative().optional(),
});
export type ResultBatch = z.infer<typeof resultBatchSchema>;
export const ResultBatchContract = defineContract('result-batch', 1, resultBatchSchema);

/**
 * Results per batch. About 250 bytes each as tuples: 1 000 keep a message near 250 kB, under the
 * broker's default 1 MiB message size, while the per-message cost is spread over 1 000 records.
 */
export const RESULTS_PER_BATCH = 1000;
/** Estimated bytes per batch (see estimatedBytes): long names or raw NIKs close a batch early. */
export const RESULT_BATCH_BYTES = 512 * 1024;

/** A generous estimate of a result's encoded size: text at up to 3 bytes a character, plus the fixed part. */
function estimatedBytes(r: MatchResult): number {
  let n = 160 + 3 * (r.nikRaw.length + r.nik.length + (r.nama?.length ?? 0) + (r.suggestedNik?.length ?? 0) + (r.householdId?.length ?? 0));
  for (const d of r.details) n += 3 * d.length + 3;
  return n;
}

/**
 * Packs results into batches: one result per record identity (period, source, file, row: the
 * highest `seq`; of equal ones the first, as report keeps), grouped by file, rows ascending, at
 * most `RESULTS_PER_BATCH` results and about `RESULT_BATCH_BYTES` per batch; a batch also closes
 * where the run id or format changes (a DTKS row re-emitted by another file's batch carries that
 * batch's). The same results in any order pack into the same batches.
 */
export function packResults(results: readonly MatchResult[], maxResults = RESULTS_PER_BATCH, maxBytes = RESULT_BATCH_BYTES): ResultBatch[] {
  const files = new Map<string, MatchResult[]>();
  let key = '';
  let list: MatchResult[] | undefined;
  let last: MatchResult | undefined;
  for (const r of results) {
    // Results come in runs of one file: the key is built once per run, not per result.
    if (!last || r.file !== last.file || r.source !== last.source || r.period !== last.period) {
      key = `${r.period}\u0000${r.source}\u0000${r.file}`;
      list = files.get(key);
      if (!list) files.set(key, (list = []));
    }
    (list as MatchResult[]).push(r);
    last = r;
  }
  const out: ResultBatch[] = [];
  for (const k of Array.from(files.keys()).sort()) {
    const g = latestByRow(files.get(k) as MatchResult[]);
    let batch: ResultTuple[] = [];
    let bytes = 0;
    let first: MatchResult | undefined;
    const flush = () => {
      if (!first || batch.length === 0) return;
      out.push({ v: 1, period: first.period, source: first.source, file: first.file, runId: first.runId, format: first.format, results: batch });
      batch = [];
      bytes = 0;
    };
    for (const r of g) {
      const size = estimatedBytes(r);
      if (batch.length > 0 && (batch.length >= maxResults || bytes + size > maxBytes || r.runId !== first?.runId || r.format !== first.format)) flush();
      if (batch.length === 0) first = r;
      batch.push([r.row, r.seq, r.nikRaw, r.nik, r.nama, r.outcome, r.reasons, r.details, r.warnings, r.suggestedNik, r.householdId, r.regency, r.notChecked]);
      bytes += size;
    }
    flush();
  }
  return out;
}

/**
 * One result per row (the highest `seq`; of equal ones the first), rows ascending. Match emits a
 * file's rows ascending and once each nearly always: that order is taken as it is, without a map
 * and a sort.
 */
function latestByRow(list: readonly MatchResult[]): readonly MatchResult[] {
  let ascending = true;
  for (let i = 1; i < list.length && ascending; i++) ascending = (list[i - 1] as MatchResult).row < (list[i] as MatchResult).row;
  if (ascending) return list;
  const byRow = new Map<number, MatchResult>();
  for (const r of list) {
    const seen = byRow.get(r.row);
    if (!seen || seen.seq < r.seq) byRow.set(r.row, r);
  }
  return Array.from(byRow.keys())
    .sort((a, b) => a - b)
    .map((row) => byRow.get(row) as MatchResult);
}

/** The results of a batch, one MatchResult v1 per tuple. */
export function unpackResults(b: ResultBatch): MatchResult[] {
  const out: MatchResult[] = new Array(b.results.length);
  for (let i = 0; i < b.results.length; i++) {
    const [row, seq, nikRaw, nik, nama, outcome, reasons, details, warnings, suggestedNik, householdId, regency, notChecked] = b.results[i] as ResultTuple;
    out[i] = { v: 1, period: b.period, source: b.source, file: b.file, runId: b.runId, format: b.format, row, seq, nikRaw, nik, nama, outcome, reasons, details, warnings, suggestedNik, householdId, regency, notChecked };
  }
  return out;
}
