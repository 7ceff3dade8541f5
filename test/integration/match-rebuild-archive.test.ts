import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInput } from '@padan/cli';
import { TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { ResultBatch } from '@padan/contracts';
import { connectAdmin, KafkaBus, silentLogger } from '@padan/kafka';
import type { KafkaAdmin } from '@padan/kafka';
import { generate } from '@padan/synth';
import { topicsApply, uploadToLanding } from '../../packages/cli/src/distributed.js';
import { periodCloseCommand } from '../../packages/cli/src/period-commands.js';
import { Redis } from 'ioredis';
import { basePort, distributedSnapshot, embeddedSnapshot, Service, serviceEnv, waitFor } from '../helpers/faults-stack.js';
import type { ServiceName } from '../helpers/faults-stack.js';
import { tempDir } from '../helpers/golden.js';
import { kafkaBrokers } from '../helpers/kafka.js';
import { OwnRedis } from '../helpers/own-redis.js';
import { OwnStack } from '../helpers/own-stack.js';
import { collectPersonalData, describeFindings, scanDir } from '../helpers/privacy-scan.js';
import { uniquePeriod } from '../helpers/period.js';

/**
 * Durable state past the input topics' retention (issue 7): padan.raw.v1 and padan.normalized.v1
 * keep 7 days, and a period is often matched, or its Redis lost, later than that. Here the
 * retention has passed for a whole month (every record of both topics deleted up to the high
 * watermark, as Kafka's retention would), then Redis loses match's state, then a program file of
 * that month arrives. Without the raw archive the rebuilt state has no DTKS release: the new file
 * is held forever and no snapshot comes (and a state rebuilt from what is left would be silently
 * wrong). With it, match asks ingest to publish the period's archived files again, and the
 * snapshot is byte-identical to the embedded run of every file, under two match instances, with
 * the rebuild and the archive replay in the logs and the metrics.
 */
const DATE = '2021-09-30';
/**
 * Kafka and S3 of its own: the records this test deletes from padan.raw.v1 and padan.normalized.v1
 * would otherwise make every later test whose match starts on an empty Redis replay the whole
 * shared archive. The helpers read the stack from process.env, this file's own (restored after).
 */
const stack = new OwnStack({ kafka: 28192, controller: 28193, s3: 28100, redis: 28479 });
let savedEnv: NodeJS.ProcessEnv;

let dir: string;
let redis: OwnRedis;
let dtks: PipelineInput;
let early: PipelineInput[];
let late: PipelineInput;
let rowsOf: Record<string, number>;
let port: number;
const services: Service[] = [];
let matches: Service[];
let ingest: Service;
const seen = new Map<string, Set<string>>();
let results: KafkaBus;

function start(name: ServiceName): Service {
  // No quiet period before a snapshot: report must hold a period coming back from the archive
  // because match says so (its status), not because results happened to flow within 6 s.
  const s = new Service(name, port++, join(dir, 'logs'), serviceEnv({ REDIS_URL: redis.url, INGEST_BATCH_ROWS: '100', REPORT_SETTLE_MS: '0' }));
  services.push(s);
  return s;
}

async function metric(s: Service, name: string): Promise<number> {
  return Number(new RegExp(`^${name}\\{service="[a-z]+"\\} (\\d+)`, 'm').exec(await s.metrics())?.[1] ?? 0);
}

async function withAdmin<T>(fn: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
  const admin = await connectAdmin({ brokers: kafkaBrokers(), clientId: `archive-test-${randomUUID()}` });
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The high watermark of each partition of `topic`. */
function highs(topic: string): Promise<Map<number, number>> {
  return withAdmin(async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)])));
}

/**
 * Deletes the records of `topic` up to `upTo(partition, high)` (default: the high watermark), as
 * retention does to old segments.
 */
async function deleteRecords(topic: string, upTo: (partition: number, high: number) => number = (_, high) => high): Promise<void> {
  await withAdmin(async (admin) => {
    const targets = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, upTo(o.partition, Number(o.high))]));
    await admin.deleteTopicRecords({ topic, partitions: [...targets].map(([partition, offset]) => ({ partition, offset: String(offset) })) });
    const after = await admin.fetchTopicOffsets(topic);
    for (const o of after) expect(Number(o.low), `${topic}/${o.partition}: records left`).toBe(targets.get(o.partition));
    expect(after.some((o) => Number(o.low) > 0), `${topic}: nothing was deleted`).toBe(true);
  });
}

/** Uploads the files and waits until match has published a result for every row of each. */
async function runMonth(period: string, files: readonly PipelineInput[]): Promise<void> {
  await uploadToLanding(period, files);
  for (const f of files) {
    const name = basename(f.path);
    await waitFor(`results for every row of ${name}`, () => (seen.get(`${period}/${name}`)?.size ?? 0) >= (rowsOf[name] ?? 1), 300_000, 50);
  }
}

/** Redis loses match's state; both instances notice and rebuild. */
async function flushAndRebuild(): Promise<void> {
  const before = await Promise.all(matches.map((m) => metric(m, 'padan_match_state_rebuilds_total')));
  await redis.flushAll();
  await waitFor(
    'both match instances rebuilding',
    async () => (await Promise.all(matches.map((m) => metric(m, 'padan_match_state_rebuilds_total')))).every((n, i) => n > before[i]!),
    120_000,
    200,
  );
}

async function expectSameAsEmbedded(period: string, out: string): Promise<string> {
  const inputs = [dtks, ...early, late];
  const { files: got } = await distributedSnapshot(period, inputs, join(dir, out), DATE, 420_000);
  const want = await embeddedSnapshot(period, inputs, join(dir, `embedded-${out}`), DATE);
  expect(Object.keys(got)).toEqual(Object.keys(want));
  expect(got['findings.csv']!.toString('utf8')).toBe(want['findings.csv']!.toString('utf8'));
  for (const name of Object.keys(want)) expect(got[name]!.equals(want[name]!), `${name} differs`).toBe(true);
  return want['findings.csv']!.toString('utf8');
}

beforeAll(async () => {
  savedEnv = { ...process.env };
  Object.assign(process.env, stack.up());
  await topicsApply();
  dir = tempDir('rebuild-archive');
  port = basePort();
  redis = await OwnRedis.start();
  const gen = await generate({ outDir: join(dir, 'input'), households: 600, seed: 71, period: '2021-09', formats: 'mixed' });
  dtks = { source: 'DTKS', path: gen.dtks };
  const programs = gen.programs.map((p) => ({ source: p.program, path: p.path }) as PipelineInput);
  // BST arrives after the loss: its conflicts with PKH need the PKH records back from the archive.
  late = programs.find((p) => p.source === 'BST') as PipelineInput;
  early = programs.filter((p) => p !== late);
  const counts = JSON.parse(readFileSync(join(dir, 'input', 'truth-counts.json'), 'utf8')) as { files: Record<string, { data_rows: number }> };
  rowsOf = Object.fromEntries(Object.entries(counts.files).map(([f, c]) => [f, c.data_rows]));
  results = new KafkaBus({ brokers: kafkaBrokers(), clientId: `rebuild-archive-${randomUUID()}`, contracts: TOPIC_CONTRACTS, logger: silentLogger });
  results.subscribe<ResultBatch>(TOPICS.results, `rebuild-archive-test-${randomUUID()}`, async (messages) => {
    for (const m of messages) {
      const k = `${m.value.period}/${m.value.file}`;
      const set = seen.get(k) ?? new Set<string>();
      for (const r of m.value.results) set.add(String(r[0]));
      seen.set(k, set);
    }
  });
  await results.run();
  ingest = start('ingest');
  start('normalize');
  matches = [start('match'), start('match')];
  start('report');
  for (const s of services) await waitFor(`${s.name} ready`, async () => (await s.readyz()).status === 200, 540_000, 500);
}, 600_000);

afterAll(async () => {
  for (const s of services) await s.stop();
  await results?.close();
  await redis?.stop();
  stack.down();
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
}, 180_000);

describe('match rebuilds its state past the input topics retention, from the raw archive', () => {
  it('raw and normalized records all deleted, FLUSHALL, then a new program file: byte-identical snapshot, archive replay logged and counted', { timeout: 900_000 }, async () => {
    const period = uniquePeriod();
    await runMonth(period, [dtks, ...early]);
    // Retention passes for the whole month, then Redis loses match's state.
    await deleteRecords(TOPICS.raw);
    await deleteRecords(TOPICS.normalized);
    await flushAndRebuild();
    await uploadToLanding(period, [late]);
    const findings = await expectSameAsEmbedded(period, 'all-deleted');
    // What the archive must bring back: the DTKS release, duplicates, and PKH records for BST's conflicts.
    expect(findings).toMatch(/DUPLICATE_IN_PROGRAM/);
    expect(findings).toMatch(/PROGRAM_CONFLICT/);

    // Asked by one instance for the rebuilt generation (a claim), the period among the periods asked.
    const generations = matches.flatMap((m) => m.logLines()).filter((l) => l['level'] === 40 && /past their retention: asked ingest/.test(String(l['msg']))).map((l) => l['generation']);
    expect(generations.length).toBeGreaterThanOrEqual(1);
    expect(new Set(generations).size).toBe(generations.length);
    const requested = await Promise.all(matches.map((m) => metric(m, 'padan_match_archive_replay_requests_total')));
    expect(requested.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    // ingest published every file of the period that was ingested before the loss again.
    expect(await metric(ingest, 'padan_ingest_archive_replayed_files_total')).toBeGreaterThanOrEqual(1 + early.length);
    const replayed = ingest.logLines().filter((l) => l['msg'] === 'archived file published again' && l['period'] === period);
    // (BST too when it was ingested before the request was handled.)
    expect(replayed.map((l) => basename(String(l['key'])))).toEqual(expect.arrayContaining([dtks, ...early].map((f) => basename(f.path))));
    expect(ingest.logLines().some((l) => l['level'] === 40 && l['period'] === period && /publishing its archived files/.test(String(l['msg'])))).toBe(true);
    for (const s of services) expect(s.running).toBe(true);
  });

  it('retention halfway through the month: the rows still retained come again from the archive and count once', { timeout: 900_000 }, async () => {
    const period = uniquePeriod();
    const start = await highs(TOPICS.normalized);
    await runMonth(period, [dtks, ...early]);
    const requestsBefore = (await Promise.all(matches.map((m) => metric(m, 'padan_match_archive_replay_requests_total')))).reduce((a, b) => a + b, 0);
    // Half of each partition's records of this month are gone, the other half still retained.
    await deleteRecords(TOPICS.normalized, (p, high) => Math.floor(((start.get(p) ?? 0) + high) / 2));
    await flushAndRebuild();
    await uploadToLanding(period, [late]);
    await expectSameAsEmbedded(period, 'half-deleted');
    const requests = (await Promise.all(matches.map((m) => metric(m, 'padan_match_archive_replay_requests_total')))).reduce((a, b) => a + b, 0);
    expect(requests).toBeGreaterThan(requestsBefore);
    for (const s of services) expect(s.running).toBe(true);
  });

  it('a closed period (padan period close) reopened by a late file: evidence dropped, then brought back from the archive; byte-identical snapshot', { timeout: 900_000 }, async () => {
    const period = uniquePeriod();
    await runMonth(period, [dtks, ...early]);
    const client = new Redis(redis.url);
    // Evidence and release keys of this period (every generation: the marker is what the close reads).
    const count = async (kind: string): Promise<number> => {
      let n = 0;
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `padan:*:{*}:${kind === 'release' ? `r:${period}:*` : `p:${period}:g*:${kind}:*`}`, 'COUNT', 1000);
        cursor = next;
        n += keys.length;
      } while (cursor !== '0');
      return n;
    };
    try {
      expect(await count('base')).toBeGreaterThan(0);
      expect(await count('occ')).toBeGreaterThan(0);
      expect(await count('fam')).toBeGreaterThan(0);
      const release = await count('release');
      const lines: string[] = [];
      const closed = await periodCloseCommand({ period }, { REDIS_URL: redis.url }, (l) => lines.push(l));
      expect(closed.keysDeleted).toBeGreaterThan(0);
      expect(closed.usedMemoryAfter).toBeLessThan(closed.usedMemoryBefore);
      expect(lines.join('\n')).toMatch(new RegExp(`closed period ${period}`));
      for (const kind of ['base', 'occ', 'fam']) expect(await count(kind), `${kind} keys left`).toBe(0);
      expect(await count('release')).toBe(release);
    } finally {
      client.disconnect();
    }
    const reopenedBefore = (await Promise.all(matches.map((m) => metric(m, 'padan_match_periods_reopened_total')))).reduce((a, b) => a + b, 0);
    // BST arrives late: its conflicts with PKH need PKH's evidence, which the close dropped. The
    // snapshot is asked for at once: report must wait for the archive's rows by match's status.
    await uploadToLanding(period, [late]);
    const findings = await expectSameAsEmbedded(period, 'closed-reopened');
    expect(ingest.logLines().filter((l) => l['msg'] === 'archived file published again' && l['period'] === period).length).toBeGreaterThanOrEqual(1 + early.length);
    expect(matches.flatMap((m) => m.logLines()).some((l) => l['period'] === period && /every row of the period is back from the raw archive/.test(String(l['msg'])))).toBe(true);
    expect(findings).toMatch(/DUPLICATE_IN_PROGRAM/);
    expect(findings).toMatch(/PROGRAM_CONFLICT/);
    // Reopened once, by one instance, which said so and why.
    const reopened = (await Promise.all(matches.map((m) => metric(m, 'padan_match_periods_reopened_total')))).reduce((a, b) => a + b, 0);
    expect(reopened - reopenedBefore).toBe(1);
    const said = matches.flatMap((m) => m.logLines()).filter((l) => l['period'] === period && l['reason'] === 'PERIOD_REOPENED');
    expect(said).toHaveLength(1);
    expect(ingest.logLines().some((l) => l['level'] === 40 && l['period'] === period && /reopened a closed period/.test(String(l['msg'])))).toBe(true);
    for (const s of services) expect(s.running).toBe(true);
  });

  it('no NIK, No. KK, name or birth date in any service log, the archive replay lines included', async () => {
    // The scanner reads CSV and JSON Lines: the DTKS release (everyone the programs name) and those programs.
    const pd = await collectPersonalData([dtks, ...early, late].map((i) => i.path).filter((p) => !p.endsWith('.xlsx')));
    expect(describeFindings(scanDir(pd, join(dir, 'logs'))), 'personal data in the logs').toEqual([]);
  });
});
