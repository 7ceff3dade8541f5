import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TOPIC_CONTRACTS, TOPICS, unpackResults } from '@padan/contracts';
import type { MatchResult, NormalizedBatch, NormalizedRecord, RawBatch, ResultBatch } from '@padan/contracts';
import { KafkaBus, silentLogger } from '@padan/kafka';
import { S3ObjectStore } from '@padan/s3';
import { startServices, topicsApply } from '../../packages/cli/src/distributed.js';
import type { RunningServices } from '../../packages/cli/src/distributed.js';
import { tempDir } from '../helpers/golden.js';
import { uniquePeriod } from '../helpers/period.js';

const running: RunningServices[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function bus(): KafkaBus {
  return new KafkaBus({ brokers: (process.env.KAFKA_BROKERS as string).split(','), clientId: `test-${randomUUID()}`, contracts: TOPIC_CONTRACTS, logger: silentLogger });
}

function start(instances: Record<string, number>, port: number, extra: Record<string, string> = {}): RunningServices {
  const r = startServices({
    env: { ...process.env, PADAN_HASH_KEY: 'services-test-hash-key', LOG_LEVEL: 'info', INGEST_POLL_MS: '200', REPORT_TICK_MS: '200', ...extra },
    instances: { ingest: 0, normalize: 0, match: 0, report: 0, ...instances },
    basePort: port,
    logDir: tempDir('services-logs'),
  });
  running.push(r);
  return r;
}

function exited(r: RunningServices): Promise<number | null> {
  const c = r.children[0]!;
  return c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise((resolve) => c.once('exit', (code) => resolve(code)));
}

function rawBatch(period: string, file: string, from: number, n: number): RawBatch {
  return {
    v: 1,
    period,
    source: 'PKH',
    file,
    runId: 'r',
    format: 'csv',
    fields: ['nik', 'nama'],
    rows: Array.from({ length: n }, (_, i) => [from + i, [String(1571011505800000 + from + i), 'SITI AMINAH']] as [number, string[]]),
  };
}

describe('services on Kafka, S3 and Redis', () => {
  it('a BST record and a PKH record of one family, through two match instances, end in conflict in both orders', { timeout: 240_000 }, async () => {
    await topicsApply();
    const port = 19600 + Math.floor(Math.random() * 300);
    start({ match: 2 }, port);
    const b = bus();
    const partitions = await b.partitions(TOPICS.normalized);
    const results = new Map<string, MatchResult>();
    b.subscribe<ResultBatch>(TOPICS.results, `test-${randomUUID()}`, async (m) => {
      for (const r of m.flatMap((x) => unpackResults(x.value))) {
        const k = `${r.period}/${r.source}/${r.file}#${r.row}`;
        if ((results.get(k)?.seq ?? -1) < r.seq) results.set(k, r);
      }
    });
    await b.run();
    const rec = (row: number, nik: string, name: string): NormalizedRecord => ({
      row, nikRaw: nik, nik, nikInvalid: null, nikSex: 'L', nikBirthDate: null, noKk: '1571010101100001', nama: name,
      nameKey: name, birthDate: null, kodeWilayah: null, regency: null, householdId: 'H1', deceased: false, warnings: [],
    });
    for (const order of ['BST first', 'PKH first'] as const) {
      const period = uniquePeriod();
      const batch = (source: 'DTKS' | 'PKH' | 'BST', file: string, records: NormalizedRecord[]): NormalizedBatch => ({
        v: 1, period, source, file, runId: 'r', format: 'csv', fields: ['nik', 'nama', 'no_kk'], records,
      });
      // One household, two members; the BST record (the father) and the PKH records (the mother)
      // go to different partitions, so different match instances handle them.
      await b.publish(TOPICS.normalized, [{ key: 'd', value: batch('DTKS', 'dtks.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF'), rec(2, '1571015708850002', 'SITI AMINAH')]) }]);
      await b.publish(TOPICS.files, [{ key: `${period}/DTKS/dtks.csv`, value: { v: 1, period, source: 'DTKS', file: 'dtks.csv', runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 1, fields: ['nik', 'nama'], headerRow: 1, rowsRead: 2, rowsEmitted: 2, rowsRejected: 0 } }]);
      const bst = { key: 'b', partition: 0, value: batch('BST', 'bst.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF')]) };
      const pkh = Array.from({ length: partitions - 1 }, (_, i) => ({ key: `p${i}`, partition: i + 1, value: batch('PKH', `pkh-${i}.csv`, [rec(1, '1571015708850002', 'SITI AMINAH')]) }));
      if (order === 'BST first') {
        await b.publish(TOPICS.normalized, [bst]);
        await waitFor('the BST result', () => results.has(`${period}/BST/bst.csv#1`));
        await b.publish(TOPICS.normalized, pkh);
      } else {
        await b.publish(TOPICS.normalized, pkh);
        await waitFor('the PKH results', () => results.has(`${period}/PKH/pkh-0.csv#1`));
        await b.publish(TOPICS.normalized, [bst]);
      }
      const final = await waitFor(`${order}: BST in conflict`, () => {
        const r = results.get(`${period}/BST/bst.csv#1`);
        return r?.reasons.includes('PROGRAM_CONFLICT') ? r : undefined;
      });
      expect(final.details).toEqual(['PROGRAM_CONFLICT:PKH']);
    }
    await b.close();
  });

  it('normalize reports what it processed on /metrics, and SIGTERM finishes, commits and exits 0', { timeout: 180_000 }, async () => {
    await topicsApply();
    const period = uniquePeriod();
    const port = 19600 + Math.floor(Math.random() * 300);
    const svc = start({ normalize: 1 }, port);
    const b = bus();
    await b.connect();
    const recordsOut = async () => {
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => '');
      const out = /padan_records_out_total\{topic="padan\.normalized\.v1",service="normalize"\} (\d+)/.exec(text);
      return { text, n: out ? Number(out[1]) : 0 };
    };
    // The raw topic is shared with other tests: let normalize catch up first, so that afterwards
    // "nothing left to consume" is a statement about this test's messages.
    await waitFor('normalize ready', async () => (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status).catch(() => 0)) === 200);
    await waitFor('normalize caught up', async () => (await b.lag('padan-normalize', [TOPICS.raw]))[TOPICS.raw] === 0, 120_000);
    const before = (await recordsOut()).n;
    await b.publish(TOPICS.raw, Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: rawBatch(period, 'metrics.csv', 1 + i * 100, 100) })));
    const metrics = await waitFor('records on /metrics', async () => {
      const m = await recordsOut();
      return m.n >= before + 500 ? m.text : undefined;
    });
    expect(metrics).toMatch(/padan_records_in_total\{topic="padan\.raw\.v1",service="normalize"\} \d+/);
    expect(metrics).toMatch(/padan_batch_seconds_count/);
    expect(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status)).toBe(200);
    expect(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status)).toBe(200);
    svc.children[0]!.kill('SIGTERM');
    expect(await exited(svc)).toBe(0);
    // Its log is structured JSON and holds no NIK or name.
    const log = readFileSync(join(svc.logDir, 'normalize-0.log'), 'utf8');
    expect(log).toContain('"service":"normalize"');
    expect(log).not.toMatch(/1571011505\d{6}/);
    expect(log).not.toContain('SITI AMINAH');
    // Everything handled was committed: the group has nothing left on the raw topic.
    expect((await b.lag('padan-normalize', [TOPICS.raw]))[TOPICS.raw]).toBe(0);
    await b.close();
  });

  it('match emits results while input is still arriving', { timeout: 180_000 }, async () => {
    await topicsApply();
    const period = uniquePeriod();
    const port = 19600 + Math.floor(Math.random() * 300);
    start({ match: 1 }, port);
    const b = bus();
    const results: MatchResult[] = [];
    b.subscribe<ResultBatch>(TOPICS.results, `test-${randomUUID()}`, async (m) => {
      for (const x of m) if (x.value.period === period) for (const r of unpackResults(x.value)) results.push(r);
    });
    await b.run();
    const rec = (row: number, nik: string): NormalizedRecord => ({
      row, nikRaw: nik, nik, nikInvalid: null, nikSex: 'L', nikBirthDate: '1980-05-15', noKk: null, nama: 'MUHAMMAD YUSUF',
      nameKey: 'MUHAMMAD YUSUF', birthDate: '1980-05-15', kodeWilayah: null, regency: null, householdId: 'H1', deceased: false, warnings: [],
    });
    const batch = (source: 'DTKS' | 'PKH', file: string, records: NormalizedRecord[]): NormalizedBatch => ({
      v: 1, period, source, file, runId: 'r', format: 'csv', fields: ['nik', 'nama', 'tanggal_lahir'], records,
    });
    await b.publish(TOPICS.normalized, [{ key: 'd', value: batch('DTKS', 'dtks.csv', [rec(1, '1571011505800001')]) }]);
    await b.publish(TOPICS.files, [{ key: `${period}/DTKS/dtks.csv`, value: { v: 1, period, source: 'DTKS', file: 'dtks.csv', runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 1, fields: ['nik', 'nama'], headerRow: 1, rowsRead: 1, rowsEmitted: 1, rowsRejected: 0 } }]);
    await b.publish(TOPICS.normalized, [{ key: 'p1', value: batch('PKH', 'pkh.csv', [rec(1, '1571011505800001')]) }]);
    await waitFor('the first program record reconciled before the rest of the file arrives', () => results.some((r) => r.source === 'PKH' && r.row === 1));
    expect(results.some((r) => r.source === 'PKH' && r.row === 2)).toBe(false);
    await b.publish(TOPICS.normalized, [{ key: 'p2', value: batch('PKH', 'pkh.csv', [rec(2, '1571011505800001')]) }]);
    const second = await waitFor('the second record, a duplicate of the first', () => results.find((r) => r.source === 'PKH' && r.row === 2));
    expect(second.reasons).toEqual(['DUPLICATE_IN_PROGRAM']);
    await b.close();
  });

  it('ingest killed mid-file (SIGKILL) and restarted publishes every row exactly once', { timeout: 300_000 }, async () => {
    await topicsApply();
    const period = uniquePeriod();
    const file = `restart-${randomUUID().slice(0, 8)}.csv`;
    const dir = tempDir('ingest-restart');
    const rows = 20_000;
    const lines = ['NIK,NAMA'];
    for (let i = 0; i < rows; i++) lines.push(`${1571011505800000 + i},NAMA ${i}`);
    writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
    const store = S3ObjectStore.fromEnv(process.env);
    const key = `landing/period=${period}/source=PKH/${file}`;
    const seen = new Map<number, number>();
    const b = bus();
    b.subscribe<RawBatch>(TOPICS.raw, `test-${randomUUID()}`, async (m) => {
      for (const x of m) if (x.value.file === file && x.value.period === period) for (const [row] of x.value.rows) seen.set(row, (seen.get(row) ?? 0) + 1);
    });
    await b.run();
    const port = 19600 + Math.floor(Math.random() * 300);
    const first = start({ ingest: 1 }, port, { INGEST_BATCH_ROWS: '200', PADAN_INSTANCE_ID: 'restart-test' });
    await store.putFile(key, join(dir, file));
    await waitFor('some rows published', () => seen.size > 0);
    // Killed without warning, mid-file: whatever it had not committed is aborted by its successor.
    first.children[0]!.kill('SIGKILL');
    await exited(first);
    expect(seen.size).toBeLessThan(rows);
    start({ ingest: 1 }, port + 1, { INGEST_BATCH_ROWS: '200', PADAN_INSTANCE_ID: 'restart-test' });
    await waitFor('the file done', () => store.exists(`ingest/done/${key}.json`), 180_000);
    await waitFor('every row back from the raw topic', () => seen.size === rows, 120_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect([...seen.values()].filter((n) => n !== 1)).toEqual([]);
    expect((await store.list(`raw/period=${period}/source=PKH/sha256=`)).map((o) => o.key.split('/').pop())).toEqual([file]);
    await b.close();
  });

});
