import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '@padan/contracts';
import type { FileCompleted, MatchResult, SnapshotAnnouncement } from '@padan/contracts';
import { FolderObjectStore } from '@padan/runtime';
import type { ObjectStore } from '@padan/runtime';
import { ReportService } from './report-service.js';
import type { ReportServiceOptions, SnapshotFailure } from './report-service.js';

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

function service(clock: { now: Date }, store?: (root: string) => ObjectStore, extra: Partial<ReportServiceOptions> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'padan-report-'));
  const published: { topic: string; value: unknown }[] = [];
  const s = new ReportService({
    store: store ? store(root) : new FolderObjectStore(root),
    publish: async (topic, messages) => void published.push(...messages.map((m) => ({ topic, value: m.value }))),
    hashKey: 'k',
    dailyAt: '23:00',
    clock: () => clock.now,
    rules: { version: 'v', sha256: 'x' },
    regencyName: () => undefined,
    padanVersion: 't',
    ...extra,
  });
  return { s, root, published };
}

describe('report service', () => {
  it('without dailyAt (the embedded run) never writes a daily snapshot, whatever the clock says', async () => {
    const clock = { now: new Date('2021-09-30T15:58:00Z') };
    const { s, published } = service(clock, undefined, { dailyAt: undefined });
    await s.onFileCompleted([fc]);
    await s.onResults([result]);
    clock.now = new Date('2021-10-05T00:00:00Z');
    expect(await s.tick()).toEqual([]);
    expect(s.nextDailyAt).toBeNull();
    expect(published.filter((p) => p.topic === TOPICS.snapshots)).toEqual([]);
  });

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
    expect((readdirSync(join(root, 'snapshots', 'period=2021-09', 'date=2021-09-30'), { recursive: true }) as string[]).sort()).toEqual([
      'dashboard',
      'dashboard/summary.json',
      'manifest.json',
      'restricted',
      'restricted/findings.csv',
      'restricted/findings.parquet',
      'restricted/findings.xlsx',
      'restricted/rejected.jsonl',
    ]);
    expect(published.filter((p) => p.topic === TOPICS.snapshots)).toHaveLength(1);
    // Not again the same day; the next one is tomorrow at 23:00 WIB.
    clock.now = new Date('2021-09-30T17:00:00Z');
    expect(await s.tick()).toEqual([]);
    expect(s.nextDailyAt?.toISOString()).toBe('2021-10-01T16:00:00.000Z');
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

  it('retries a snapshot whose write failed and answers its request (snapshot requests are lost after an S3 error)', async () => {
    const clock = { now: new Date('2021-09-30T03:00:00Z') };
    let failures = 1;
    const failed: SnapshotFailure[] = [];
    const discarded: string[] = [];
    const { s, root } = service(
      clock,
      (dir) => {
        const folder = new FolderObjectStore(dir);
        return {
          get: (k) => folder.get(k),
          getFile: (k, p) => folder.getFile(k, p),
          list: (p) => folder.list(p),
          describe: (k) => folder.describe(k),
          put: (k, b) => folder.put(k, b),
          copy: (a, b) => folder.copy(a, b),
          delete: (k) => folder.delete(k),
          putFile: async (k, p) => {
            // S3 takes the first object, then fails once mid-snapshot.
            if (k.endsWith('findings.xlsx') && failures-- > 0) throw new Error('S3 unavailable');
            await folder.putFile(k, p);
          },
        };
      },
      { onSnapshotFailed: (f) => void failed.push(f), discard: async (keys) => void discarded.push(...keys), retryMs: { first: 1000, max: 60_000 } },
    );
    s.onRequest({ v: 1, requestId: 'q1', period: '2021-09', date: '2021-09-30', expect: [{ source: 'DTKS', file: 'dtks.csv' }] });
    await s.onFileCompleted([fc]);
    await s.onResults([result]);
    expect(await s.tick()).toEqual([]);
    expect(failed.map((f) => [f.requestId, f.attempt, f.retryInMs])).toEqual([['q1', 1, 1000]]);
    expect(discarded).toEqual(['snapshots/period=2021-09/date=2021-09-30/manifest.json']);
    expect(s.pendingRequests).toBe(1);
    expect(await s.tick()).toEqual([]); // not before the backoff
    clock.now = new Date('2021-09-30T03:00:01Z');
    const [a] = await s.tick();
    expect(a?.requestId).toBe('q1');
    expect(s.pendingRequests).toBe(0);
    expect(readdirSync(join(root, 'snapshots', 'period=2021-09', 'date=2021-09-30'))).toContain('manifest.json');
  });

  it('answers a request reread after a restart unless an announcement already answered it (snapshot requests are lost after a report restart)', async () => {
    const clock = { now: new Date('2021-09-30T03:00:00Z') };
    const { s } = service(clock);
    const answeredBefore = { v: 1 as const, period: '2021-09', date: '2021-09-30', prefix: 'snapshots/period=2021-09/date=2021-09-30/', objects: [], requestId: 'old' };
    // Reread from the topics at start, in any order: the announcement of "old" after its request.
    s.onRequest({ v: 1, requestId: 'old', period: '2021-09', date: '2021-09-30', expect: [] });
    s.onRequest({ v: 1, requestId: 'unanswered', period: '2021-09', date: '2021-09-30', expect: [] });
    s.onAnnouncement(answeredBefore);
    s.onRequest({ v: 1, requestId: 'old', period: '2021-09', date: '2021-09-30', expect: [] });
    await s.onFileCompleted([fc]);
    await s.onResults([result]);
    expect((await s.tick()).map((a) => a.requestId)).toEqual(['unanswered']);
  });

  it('waits for the view to be loaded before answering', async () => {
    const clock = { now: new Date('2021-09-30T03:00:00Z') };
    let loaded = false;
    const { s } = service(clock, undefined, { viewLoaded: () => loaded });
    s.onRequest({ v: 1, requestId: 'q1', period: '2021-09', date: '2021-09-30', expect: [] });
    await s.onFileCompleted([fc]);
    await s.onResults([result]);
    expect(await s.tick()).toEqual([]);
    loaded = true;
    expect((await s.tick()).map((a) => a.requestId)).toEqual(['q1']);
  });

  it('snapshot_before_reemissions: waits until the pipeline has settled, not only until every row has a result', async () => {
    // A record's final result can still be in flight (a re-emission one hop behind) when every row
    // already has a result: the snapshot waits for match to drain its input and the view to catch up.
    const clock = { now: new Date('2021-09-30T03:00:00Z') };
    let settled = false;
    let asked = 0;
    const { s } = service(clock, undefined, {
      settled: async (period) => {
        expect(period).toBe('2021-09');
        asked++;
        return settled;
      },
    });
    s.onRequest({ v: 1, requestId: 'q1', period: '2021-09', date: '2021-09-30', expect: [] });
    await s.onFileCompleted([fc]);
    expect(await s.tick()).toEqual([]);
    expect(asked).toBe(0); // nothing due: the pipeline is not asked
    await s.onResults([result]);
    expect(await s.tick()).toEqual([]);
    expect(asked).toBe(1);
    settled = true;
    expect((await s.tick()).map((a) => a.requestId)).toEqual(['q1']);
  });

  it('counts only files ingest announced: a stray file neither blocks the period nor enters the snapshot (one stray message blocks a period)', async () => {
    const clock = { now: new Date('2021-09-30T03:00:00Z') };
    const { s, root } = service(clock);
    await s.onFileCompleted([fc]);
    await s.onResults([result, { ...result, source: 'PKH', file: 'stray.csv', row: 2, outcome: 'NOT_IN_DTKS', reasons: ['NOT_IN_DTKS'] }]);
    expect(s.stage.strays('2021-09')).toEqual([{ program: 'PKH', file: 'stray.csv', rows: 1 }]);
    s.onRequest({ v: 1, requestId: 'q1', period: '2021-09', date: '2021-09-30', expect: [] });
    const [a] = await s.tick();
    expect(a?.requestId).toBe('q1');
    const dir = join(root, 'snapshots', 'period=2021-09', 'date=2021-09-30');
    expect(readFileSync(join(dir, 'restricted/findings.csv'), 'utf8')).not.toContain('stray.csv');
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).not.toContain('stray.csv');
  });

  it('holds a period while a file announced by ingest progress is not accounted for', async () => {
    const clock = { now: new Date('2021-09-30T03:00:00Z') };
    const { s } = service(clock);
    await s.onFileCompleted([fc]);
    await s.onResults([result]);
    s.onProgress([{ v: 1, key: 'landing/period=2021-09/source=PKH/pkh.csv', sha256: 'b'.repeat(64), lastRow: 500, completed: null }]);
    s.onRequest({ v: 1, requestId: 'q1', period: '2021-09', date: '2021-09-30', expect: [] });
    expect(await s.tick()).toEqual([]);
    expect(s.stage.status('2021-09').files.map((f) => [f.program, f.file, f.accounted])).toEqual([
      ['DTKS', 'dtks.csv', true],
      ['PKH', 'pkh.csv', false],
    ]);
  });
});
