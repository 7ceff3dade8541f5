import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '@padan/contracts';
import type { FileCompleted, MatchResult, SnapshotAnnouncement } from '@padan/contracts';
import { FolderObjectStore } from '@padan/runtime';
import { ReportService } from './report-service.js';

const fc: FileCompleted = {
  v: 1,
  period: '2021-09',
  source: 'DTKS',
  file: 'dtks.csv',
  runId: 'r',
  format: 'csv',
  sha256: 'a'.repeat(64),
  bytes: 10,
  fields: ['nik', 'nama'],
  headerRow: 1,
  rowsRead: 1,
  rowsEmitted: 1,
  rowsRejected: 0,
};
const result: MatchResult = {
  v: 1,
  period: '2021-09',
  source: 'DTKS',
  file: 'dtks.csv',
  runId: 'r',
  format: 'csv',
  row: 1,
  seq: 1,
  nikRaw: '1571011505800001',
  nik: '1571011505800001',
  nama: 'MUHAMMAD YUSUF',
  outcome: null,
  reasons: [],
  details: [],
  warnings: [],
  suggestedNik: null,
  householdId: 'H1',
  regency: '1571',
  notChecked: [],
};

function service(clock: { now: Date }) {
  const root = mkdtempSync(join(tmpdir(), 'padan-report-'));
  const published: { topic: string; value: unknown }[] = [];
  const s = new ReportService({
    store: new FolderObjectStore(root),
    publish: async (topic, messages) => void published.push(...messages.map((m) => ({ topic, value: m.value }))),
    hashKey: 'k',
    dailyAt: '23:00',
    clock: () => clock.now,
    rules: { version: 'v', sha256: 'x' },
    regencyName: () => undefined,
    padanVersion: 't',
  });
  return { s, root, published };
}

describe('report service', () => {
  it('writes the daily snapshot at the configured Jakarta time, not before (injected clock)', async () => {
    const clock = { now: new Date('2021-09-30T15:58:00Z') }; // 22:58 WIB
    const { s, root, published } = service(clock);
    await s.onFileCompleted([fc]);
    await s.onResults([result]);
    expect(await s.tick()).toEqual([]);
    clock.now = new Date('2021-09-30T15:59:59Z');
    expect(await s.tick()).toEqual([]);
    clock.now = new Date('2021-09-30T16:00:01Z'); // 23:00:01 WIB
    const written = await s.tick();
    expect(written.map((a) => a.prefix)).toEqual(['snapshots/period=2021-09/date=2021-09-30/']);
    expect(readdirSync(join(root, 'snapshots', 'period=2021-09', 'date=2021-09-30')).sort()).toEqual([
      'findings.csv',
      'findings.parquet',
      'findings.xlsx',
      'manifest.json',
      'rejected.jsonl',
      'summary.json',
    ]);
    expect(published.filter((p) => p.topic === TOPICS.snapshots)).toHaveLength(1);
    // Not again the same day; the next one is tomorrow at 23:00 WIB.
    clock.now = new Date('2021-09-30T17:00:00Z');
    expect(await s.tick()).toEqual([]);
    expect(s.nextDailyAt.toISOString()).toBe('2021-10-01T16:00:00.000Z');
  });

  it('answers a snapshot request only once the files it names are accounted for', async () => {
    const clock = { now: new Date('2021-09-30T03:00:00Z') };
    const { s, published } = service(clock);
    s.onRequest({ v: 1, requestId: 'q1', period: '2021-09', date: '2021-09-30', expect: [{ source: 'DTKS', file: 'dtks.csv' }] });
    await s.onFileCompleted([fc]);
    expect(await s.tick()).toEqual([]); // the file's one row has no result yet
    await s.onResults([result]);
    const [a] = (await s.tick()) as SnapshotAnnouncement[];
    expect(a?.requestId).toBe('q1');
    expect(published.some((p) => p.topic === TOPICS.snapshots && (p.value as SnapshotAnnouncement).requestId === 'q1')).toBe(true);
    expect(await s.tick()).toEqual([]);
  });
});
