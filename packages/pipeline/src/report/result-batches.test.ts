import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGE_KEYS, packResults, ResultBatchContract } from '@padan/contracts';
import type { FileCompleted, MatchResult, ResultBatch } from '@padan/contracts';
import { FolderObjectStore } from '@padan/runtime';
import { ReportStage } from './report-stage.js';

const PERIOD = '2021-09';
const ROWS = 1200;

function completed(source: 'PKH' | 'DTKS', file: string, rows: number): FileCompleted {
  return { v: 1, period: PERIOD, source, file, runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 10, fields: ['nik'], headerRow: 1, rowsRead: rows, rowsEmitted: rows, rowsRejected: 0 };
}

function result(file: string, row: number, seq: number): MatchResult {
  const nik = String(1571011505800000 + row);
  const flagged = (row + seq) % 3 === 0;
  return {
    v: 1,
    period: PERIOD,
    source: 'PKH',
    file,
    runId: 'r',
    format: 'csv',
    row,
    seq,
    nikRaw: nik,
    nik,
    nama: `NAMA ${row}`,
    outcome: flagged ? 'DUPLICATE_IN_PROGRAM' : null,
    reasons: flagged ? ['DUPLICATE_IN_PROGRAM'] : [],
    details: flagged ? [`DUPLICATE_IN_PROGRAM:FIRST=${file}#${seq}`] : [],
    warnings: [],
    suggestedNik: null,
    householdId: null,
    regency: '1571',
    notChecked: [],
  };
}

/**
 * What match publishes over a period, as publish calls of result batches: every row's first
 * result in calls of 400 rows (a normalized batch each), then re-emissions, as a later batch's
 * evidence changes earlier records: rows 1, 5, 9, … get seq 2 in calls grouping them differently,
 * and every 10th row seq 3 in one call; then a redelivered call (a crash before the commit) repeats
 * the second call with the evidence of the end (other seqs: kept beside it), and another repeats
 * the first re-emission call as it was (the same results: compaction keeps one). The first re-emission call starts at row 1 like
 * the first call: keyed by file and first row only, it would replace the first call's batch and
 * take the only result of rows 2, 3, 4, 6, … with it. Returns the messages in publish order.
 */
function published(file: string): { key: string; value: ResultBatch }[] {
  const calls: MatchResult[][] = [];
  for (let start = 1; start <= ROWS; start += 400) calls.push(Array.from({ length: 400 }, (_, i) => result(file, start + i, 1)));
  for (let start = 1; start <= ROWS; start += 300) {
    const call: MatchResult[] = [];
    for (let row = start; row < start + 300; row += 4) call.push(result(file, row, 2));
    calls.push(call);
  }
  calls.push(Array.from({ length: ROWS / 10 }, (_, i) => result(file, (i + 1) * 10, 3)));
  calls.push(Array.from({ length: 400 }, (_, i) => 401 + i).map((row) => result(file, row, row % 10 === 0 ? 3 : (row - 1) % 4 === 0 ? 2 : 1)));
  // A redelivery with the evidence it first had (a crash after the publish, before the commit): the same results again.
  calls.push(Array.from({ length: 300 }, (_, i) => 1 + i).filter((row) => (row - 1) % 4 === 0).map((row) => result(file, row, 2)));
  // Through the wire encoding, as Kafka would carry them.
  return calls.flatMap((c) => packResults(c).map((b) => ({ key: MESSAGE_KEYS.resultBatch(b), value: ResultBatchContract.decode(ResultBatchContract.encode(b)) })));
}

/** Kafka compaction at its most thorough: the last message of every key, in log order. */
function compacted<T>(log: readonly { key: string; value: T }[]): { key: string; value: T }[] {
  const last = new Map<string, number>();
  log.forEach((m, i) => last.set(m.key, i));
  return log.filter((m, i) => last.get(m.key) === i);
}

const dtksResult: MatchResult = { ...result('dtks.csv', 1, 1), source: 'DTKS', outcome: null, reasons: [], details: [] };

async function findings(batches: readonly ResultBatch[], chunk: number, dtksSeparately = true): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'padan-batches-'));
  const stage = new ReportStage({ workDir: dir, spillRows: 1000 });
  try {
    // A period is complete only with its DTKS release: one row, clean.
    stage.onFileCompleted(completed('DTKS', 'dtks.csv', 1));
    stage.onFileCompleted(completed('PKH', 'pkh.csv', ROWS));
    if (dtksSeparately) await stage.onResults([dtksResult]);
    for (let i = 0; i < batches.length; i += chunk) await stage.onResultBatches(batches.slice(i, i + chunk));
    expect(stage.status(PERIOD).complete).toBe(true);
    const a = await stage.snapshot({ period: PERIOD, date: '2021-09-30', rules: { version: 'v', sha256: 'x' }, regencyName: () => undefined, padanVersion: 't' }, new FolderObjectStore(dir));
    return readFileSync(join(dir, a.prefix, 'restricted/findings.csv'), 'utf8');
  } finally {
    await stage.close();
  }
}

describe('report reading result batches', () => {
  const log = published('pkh.csv');
  // What the view must show: each row's highest-seq result, computed per record.
  const expected = (() => {
    const latest = new Map<number, MatchResult>();
    for (const m of log) for (const t of m.value.results) if ((latest.get(t[0])?.seq ?? 0) < t[1]) latest.set(t[0], result('pkh.csv', t[0], t[1]));
    return latest;
  })();

  it('keeps the highest seq per record across batches, whatever their order and chunking', async () => {
    expect(expected.size).toBe(ROWS);
    const inOrder = await findings(log.map((m) => m.value), 7);
    expect(inOrder).toBe(await findings(packResults([...expected.values()]), 1));
    expect(inOrder).toContain('DUPLICATE_IN_PROGRAM:FIRST=pkh.csv#3');
    expect(await findings([...log].reverse().map((m) => m.value), 3)).toBe(inOrder);
  });

  it('rebuilds the same view after a restart that rereads the topic compacted (every record keeps its last result)', async () => {
    const kept = compacted(log);
    // Compaction did remove something: the last call (the same results again) replaced its first delivery.
    expect(kept.length).toBeLessThan(log.length);
    const seqs = new Map<number, number>();
    for (const m of kept) for (const t of m.value.results) seqs.set(t[0], Math.max(seqs.get(t[0]) ?? 0, t[1]));
    for (const [row, r] of expected) expect(seqs.get(row), `row ${row}`).toBe(r.seq);
    // A restarted report is a new stage reading the topic from the beginning.
    expect(await findings(kept.map((m) => m.value), 5)).toBe(await findings(log.map((m) => m.value), 50));
  });
});

describe('report reading result batches of several epochs of match state (a rebuild)', () => {
  // Two generations reach the same final evidence in another order: equal seqs, other content.
  // Each epoch publishes every result of the period again, the DTKS row's too.
  const rows = Array.from({ length: ROWS }, (_, i) => i + 1);
  const lost = packResults([dtksResult, ...rows.map((row) => ({ ...result('pkh.csv', row, 5), nama: `LOST ${row}` }))]).map((b) => ({ ...b, epoch: 1_000 }));
  const rebuilt = packResults([dtksResult, ...rows.map((row) => result('pkh.csv', row, 5))]).map((b) => ({ ...b, epoch: 2_000 }));

  it('keeps the newest epoch only, whatever the order: an equal seq of a lost generation never wins', async () => {
    const want = await findings(rebuilt, 3, false);
    expect(want).not.toContain('LOST');
    expect(await findings([...lost, ...rebuilt], 3, false)).toBe(want);
    // A lost generation's batch read after the rebuilt one's (in flight, or another partition on a restart).
    expect(await findings([...rebuilt, ...lost], 3, false)).toBe(want);
    expect(await findings([rebuilt[0]!, ...lost, ...rebuilt.slice(1)], 1, false)).toBe(want);
  });

  it('a newer epoch forgets the older results of the period: rows count again only once re-published', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'padan-epochs-'));
    const stage = new ReportStage({ workDir: dir, spillRows: 1000 });
    try {
      stage.onFileCompleted(completed('PKH', 'pkh.csv', ROWS));
      stage.onFileCompleted(completed('DTKS', 'dtks.csv', 1));
      await stage.onResultBatches(lost);
      expect(stage.status(PERIOD).complete).toBe(true);
      await stage.onResultBatches(rebuilt.slice(0, 1));
      expect(stage.status(PERIOD).complete).toBe(false);
      await stage.onResultBatches(rebuilt.slice(1));
      expect(stage.status(PERIOD).complete).toBe(true);
      // Single results of the v1 topic carry no epoch: left out once the period has one.
      await stage.onResults([{ ...result('pkh.csv', 1, 99), nama: 'LEGACY' }]);
      const a = await stage.snapshot({ period: PERIOD, date: '2021-09-30', rules: { version: 'v', sha256: 'x' }, regencyName: () => undefined, padanVersion: 't' }, new FolderObjectStore(dir));
      expect(readFileSync(join(dir, a.prefix, 'restricted/findings.csv'), 'utf8')).not.toMatch(/LEGACY|LOST/);
    } finally {
      await stage.close();
    }
  });
});
