import { describe, expect, it } from 'vitest';
import type { MatchResult } from './match-result.js';
import { MESSAGE_KEYS } from './message-keys.js';
import { packResults, ResultBatchContract, unpackResults } from './result-batch.js';
import { rowSetTag } from './row-set-tag.js';

const base: MatchResult = {
  v: 1,
  period: '2021-09',
  source: 'PKH',
  file: 'pkh.csv',
  runId: 'run-1',
  format: 'csv',
  row: 1,
  seq: 1,
  nikRaw: '1571010101800001',
  nik: '1571010101800001',
  nama: 'SITI AMINAH',
  outcome: 'DUPLICATE_IN_PROGRAM',
  reasons: ['DUPLICATE_IN_PROGRAM'],
  details: ['DUPLICATE_IN_PROGRAM:FIRST=pkh.csv#1'],
  warnings: ['NIK_REGION_UNKNOWN'],
  suggestedNik: null,
  householdId: 'H1',
  regency: '1571',
  notChecked: ['FAMILY'],
};
const result = (over: Partial<MatchResult>): MatchResult => ({ ...base, ...over });

describe('padan.results.v2 (ResultBatch)', () => {
  it('round-trips every field of MatchResult v1 through the wire encoding', () => {
    const results = [result({ row: 2, outcome: null, reasons: [], details: [], nama: null, householdId: null, regency: null, notChecked: [] }), result({ suggestedNik: '1571010101800002' })];
    const [batch] = packResults(results);
    const back = unpackResults(ResultBatchContract.decode(ResultBatchContract.encode(batch!)));
    expect(back).toEqual([results[1], results[0]]);
  });

  it('keeps one result per record, the highest seq (the first of equal ones), whatever the order', () => {
    const a = [result({ row: 3, seq: 1 }), result({ row: 3, seq: 4, outcome: null }), result({ row: 3, seq: 2 }), result({ row: 1, seq: 1 })];
    const b = [...a].reverse();
    expect(packResults(a)).toEqual(packResults(b));
    expect(unpackResults(packResults(a)[0]!).map((r) => [r.row, r.seq, r.outcome])).toEqual([
      [1, 1, 'DUPLICATE_IN_PROGRAM'],
      [3, 4, null],
    ]);
    const tie = packResults([result({ seq: 2, nama: 'FIRST' }), result({ seq: 2, nama: 'SECOND' })]);
    expect(unpackResults(tie[0]!)[0]!.nama).toBe('FIRST');
    // A record is its identity (period, source, file, row): another run id is the same record.
    const rerun = packResults([result({ seq: 2, runId: 'run-2' }), result({ seq: 3 }), result({ seq: 1, runId: 'run-3' })]);
    expect(rerun.map((b) => [b.runId, b.results.map((t) => t[1])])).toEqual([['run-1', [3]]]);
  });

  it('groups by file, closes a batch where the run id changes, and splits by count and by size', () => {
    const many = Array.from({ length: 2300 }, (_, i) => result({ row: i + 1 }));
    const batches = packResults([...many, result({ source: 'BST', file: 'bst.csv' }), result({ row: 2301, runId: 'run-2' })]);
    expect(batches.map((b) => [b.source, b.runId, b.results.length])).toEqual([
      ['BST', 'run-1', 1],
      ['PKH', 'run-1', 1000],
      ['PKH', 'run-1', 1000],
      ['PKH', 'run-1', 300],
      ['PKH', 'run-2', 1],
    ]);
    // A long name closes a batch early: no message outgrows the topic's size because of text.
    const long = 'A'.repeat(100_000);
    expect(packResults([result({ row: 1, nama: long }), result({ row: 2, nama: long }), result({ row: 3 })]).map((b) => b.results.length)).toEqual([1, 2]);
  });

  it('is keyed by file, exact row set and seqs, so compaction only replaces a batch by the same results', () => {
    const key = (rows: number[], seq = 1) => MESSAGE_KEYS.resultBatch(packResults(rows.map((row) => result({ row, seq })))[0]!);
    expect(key([1, 2, 3])).toBe(`2021-09/PKH/pkh.csv#1-3/${rowSetTag([1, 2, 3])}@${rowSetTag([1, 1, 1])}`);
    // The same results again (a redelivery, a replay): the same key, so compaction keeps one.
    expect(key([3, 2, 1])).toBe(key([1, 2, 3]));
    // Other seqs of the same records (another writer, more evidence): another key, so a lower-seq
    // batch appended last never replaces the higher one; report keeps the highest seq.
    expect(key([1, 2, 3], 5)).not.toBe(key([1, 2, 3]));
    // Same span and count, another record: another key, so neither hides the other.
    expect(key([1, 3, 4, 5])).not.toBe(key([1, 2, 4, 5]));
    expect(key([1, 3])).not.toBe(key([1, 2, 3]));
  });

  it('refuses a batch with no result or a malformed tuple', () => {
    const [batch] = packResults([base]);
    expect(() => ResultBatchContract.check({ ...batch, results: [] })).toThrow(/results/);
    expect(() => ResultBatchContract.check({ ...batch, results: [[1, 1, 'x']] })).toThrow(/results/);
  });
});

describe('rowSetTag', () => {
  it('tells row sets apart and names the same set the same way', () => {
    const seen = new Set<string>();
    for (let a = 1; a <= 60; a++) for (let b = a + 1; b <= 61; b++) seen.add(rowSetTag([a, b]));
    expect(seen.size).toBe((60 * 61) / 2);
    expect(rowSetTag([1, 2, 3])).toBe(rowSetTag([1, 2, 3]));
    expect(rowSetTag([1, 2, 3])).toMatch(/^3\.[0-9a-z]{14}$/);
  });
});
