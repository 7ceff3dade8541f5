import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInput } from '@padan/cli';
import { TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { ResultBatch } from '@padan/contracts';
import { KafkaBus, silentLogger } from '@padan/kafka';
import { generate } from '@padan/synth';
import { topicsApply, uploadToLanding } from '../../packages/cli/src/distributed.js';
import { basePort, distributedSnapshot, embeddedSnapshot, Service, serviceEnv, waitFor } from '../helpers/faults-stack.js';
import type { ServiceName } from '../helpers/faults-stack.js';
import { tempDir } from '../helpers/golden.js';
import { OwnRedis } from '../helpers/own-redis.js';
import { uniquePeriod } from '../helpers/period.js';

/**
 * Redis is a cache of what Kafka holds (issue 7, durable state). The four services as OS processes
 * with two match instances, on the stack's Kafka and S3 and on a Redis of this file's own (flushed
 * and killed here, which the shared stack Redis must not be). Redis loses match's state mid-run;
 * match notices, adopts one new generation, replays its input partitions and resumes by itself:
 * the snapshot is byte-identical to the embedded run of the same files (which the conformance test
 * keeps identical to a clean distributed run), and the rebuild shows in the log and the metrics.
 */
const DATE = '2021-09-30';
const REBUILD_LOG = /match state lost in Redis \(flushed, restarted empty or replaced\): rebuilding it/;

let dir: string;
let redis: OwnRedis;
let dtks: PipelineInput;
let programs: PipelineInput[];
/** Data rows per input file name, from the generator's truth counts. */
let rowsOf: Record<string, number>;
let port: number;
const services: Service[] = [];
let matches: Service[];
/** Distinct records with a result seen per `period/source`, from the results topic. */
const seen = new Map<string, Set<string>>();
let results: KafkaBus;

function start(name: ServiceName): Service {
  const s = new Service(name, port++, join(dir, 'logs'), serviceEnv({ REDIS_URL: redis.url, INGEST_BATCH_ROWS: '100' }));
  services.push(s);
  return s;
}

function resultCount(period: string, source: string): number {
  return seen.get(`${period}/${source}`)?.size ?? 0;
}

async function rebuildsTotal(s: Service): Promise<number> {
  return Number(/^padan_match_state_rebuilds_total\{service="match"\} (\d+)/m.exec(await s.metrics())?.[1] ?? 0);
}

async function rebuilding(s: Service): Promise<number> {
  return Number(/^padan_match_state_rebuilding\{service="match"\} (\d+)/m.exec(await s.metrics())?.[1] ?? -1);
}

function rebuildLogLines(): number {
  return matches.reduce((n, s) => n + s.logLines().filter((l) => l['level'] === 40 && REBUILD_LOG.test(String(l['msg'])) && typeof l['generation'] === 'string').length, 0);
}

/** Uploads the programs and waits until match has published results for at least half of each one's rows. */
async function programsHalfDone(period: string): Promise<void> {
  await uploadToLanding(period, programs);
  for (const p of programs) {
    const half = Math.ceil((rowsOf[basename(p.path)] ?? 0) / 2);
    await waitFor(`${p.source}: results for half of its ${half * 2} rows`, () => resultCount(period, p.source) >= half, 240_000, 20);
  }
}

async function expectSameAsEmbedded(period: string, out: string): Promise<string> {
  const inputs = [dtks, ...programs];
  const { files: got } = await distributedSnapshot(period, inputs, join(dir, out), DATE, 420_000);
  const want = await embeddedSnapshot(period, inputs, join(dir, `embedded-${out}`), DATE);
  expect(Object.keys(got)).toEqual(Object.keys(want));
  expect(got['findings.csv']!.toString('utf8')).toBe(want['findings.csv']!.toString('utf8'));
  for (const name of Object.keys(want)) expect(got[name]!.equals(want[name]!), `${name} differs`).toBe(true);
  return want['findings.csv']!.toString('utf8');
}

/** Every match instance ready again, its rebuild gauge back to 0. */
async function rebuiltEverywhere(): Promise<void> {
  for (const m of matches) {
    await waitFor(`match on port ${m.port} ready after the rebuild`, async () => (await m.readyz()).status === 200 && (await rebuilding(m)) === 0, 300_000, 500);
  }
}

beforeAll(async () => {
  await topicsApply();
  dir = tempDir('rebuild');
  port = basePort();
  redis = await OwnRedis.start();
  const gen = await generate({ outDir: join(dir, 'input'), households: 600, seed: 71, period: '2021-09', formats: 'mixed' });
  dtks = { source: 'DTKS', path: gen.dtks };
  programs = gen.programs.map((p) => ({ source: p.program, path: p.path }) as PipelineInput);
  const counts = JSON.parse(readFileSync(join(dir, 'input', 'truth-counts.json'), 'utf8')) as { files: Record<string, { data_rows: number }> };
  rowsOf = Object.fromEntries(Object.entries(counts.files).map(([f, c]) => [f, c.data_rows]));
  results = new KafkaBus({ brokers: (process.env.KAFKA_BROKERS as string).split(','), clientId: `rebuild-${randomUUID()}`, contracts: TOPIC_CONTRACTS, logger: silentLogger });
  results.subscribe<ResultBatch>(TOPICS.results, `rebuild-test-${randomUUID()}`, async (messages) => {
    for (const m of messages) {
      const k = `${m.value.period}/${m.value.source}`;
      const set = seen.get(k) ?? new Set<string>();
      for (const r of m.value.results) set.add(`${m.value.file}#${r[0]}`);
      seen.set(k, set);
    }
  });
  await results.run();
  start('ingest');
  start('normalize');
  matches = [start('match'), start('match')];
  start('report');
  // A match whose group consumed before (earlier suites) starts on this empty Redis with a rebuild:
  // ready once it has replayed every retained input partition, which takes as long as they are long.
  for (const s of services) await waitFor(`${s.name} ready`, async () => (await s.readyz()).status === 200, 540_000, 500);
}, 600_000);

afterAll(async () => {
  for (const s of services) await s.stop();
  await results?.close();
  await redis?.stop();
});

describe('match rebuilds its Redis state by itself (Redis is a cache of what Kafka holds)', () => {
  it('FLUSHALL during the DTKS load and again after half of each program: byte-identical snapshot, rebuild logged and counted, two match instances', { timeout: 900_000 }, async () => {
    const period = uniquePeriod();
    await uploadToLanding(period, [dtks]);
    await waitFor('the first DTKS results', () => resultCount(period, 'DTKS') > 0, 240_000, 10);
    await redis.flushAll();
    await waitFor('both match instances rebuilding after the first flush', async () => (await Promise.all(matches.map(rebuildsTotal))).every((n) => n >= 1), 120_000, 200);
    // Duplicates and PKH/BST pairs straddle the second flush: half of each program's records are
    // reconciled before it, against the rebuilt DTKS index, the rest after.
    await programsHalfDone(period);
    await redis.flushAll();
    await waitFor('both match instances rebuilding after the second flush', async () => (await Promise.all(matches.map(rebuildsTotal))).every((n) => n >= 2), 120_000, 200);
    const findings = await expectSameAsEmbedded(period, 'flush');
    // The month holds what the flush must not break: duplicates in a program, BST/PKH conflicts.
    expect(findings).toMatch(/DUPLICATE_IN_PROGRAM/);
    expect(findings).toMatch(/PROGRAM_CONFLICT/);
    await rebuiltEverywhere();
    expect(rebuildLogLines()).toBeGreaterThanOrEqual(4);
    for (const m of matches) expect(m.running).toBe(true);
  });

  it('Redis killed and restarted empty mid-run: byte-identical snapshot, rebuild logged and counted', { timeout: 900_000 }, async () => {
    const period = uniquePeriod();
    const before = await Promise.all(matches.map(rebuildsTotal));
    const logged = rebuildLogLines();
    await uploadToLanding(period, [dtks]);
    await programsHalfDone(period);
    await redis.restartEmpty();
    await waitFor('both match instances rebuilding after the restart', async () => (await Promise.all(matches.map(rebuildsTotal))).every((n, i) => n > before[i]!), 120_000, 200);
    await expectSameAsEmbedded(period, 'restart');
    await rebuiltEverywhere();
    expect(rebuildLogLines()).toBeGreaterThan(logged);
    for (const m of matches) expect(m.running).toBe(true);
  });

  it('a match started while its Redis is down answers /readyz (not ready, saying why) and becomes ready once Redis is back (/readyz before the generation is adopted crashes match)', { timeout: 600_000 }, async () => {
    // Alone in the group: an instance on another Redis must not share partitions with the others.
    for (const m of matches) expect(await m.stop()).toBe(0);
    await redis.stop();
    const late = start('match');
    const r = await waitFor('an answer from /readyz', async () => {
      const x = await late.readyz();
      return x.status !== 0 ? x : undefined;
    });
    expect(r.status).toBe(503);
    expect(r.body).toMatch(/state generation not adopted yet/);
    await redis.restartEmpty();
    await waitFor('the late match ready', async () => (await late.readyz()).status === 200, 300_000, 500);
    expect(late.running).toBe(true);
  });
});
