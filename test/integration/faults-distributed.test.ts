import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInput } from '@padan/cli';
import { isRejectedMessage, TOPIC_CONTRACTS, TOPICS, unpackResults } from '@padan/contracts';
import type { DeadLetter, MatchResult, NormalizedBatch, NormalizedRecord, RawBatch, ResultBatch } from '@padan/contracts';
import { KafkaBus, silentLogger } from '@padan/kafka';
import { S3ObjectStore } from '@padan/s3';
import { generate } from '@padan/synth';
import { topicsApply, uploadToLanding } from '../../packages/cli/src/distributed.js';
import { basePort, distributedSnapshot, embeddedSnapshot, restartStack, Service, serviceEnv, stopStackProcess, waitFor } from '../helpers/faults-stack.js';
import { tempDir } from '../helpers/golden.js';
import { uniquePeriod } from '../helpers/period.js';

/**
 * Faults in the distributed run (issue 6). One generated month (the same files under a new period
 * per fault), the four services as OS processes on the real Kafka, S3 and Redis, and one fault
 * after the other; each ends with a snapshot byte-identical to the embedded run of the same files,
 * the Redis loss included (match rebuilds its state from the topics; see also match-rebuild.test.ts).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(root, 'packages', 'cli', 'dist', 'main.js');
const DATE = '2021-09-30';
const STALL_SECONDS = 3;

let dir: string;
let inputs: PipelineInput[];
let port: number;
const svc = {} as Record<'ingest' | 'normalize' | 'match' | 'report', Service>;
const extra: Service[] = [];
let store: S3ObjectStore;
let bus: KafkaBus;

function start(name: 'ingest' | 'normalize' | 'match' | 'report', env: Record<string, string> = {}): Service {
  const s = new Service(name, port++, join(dir, 'logs'), serviceEnv({ PADAN_STALL_AFTER_SECONDS: String(STALL_SECONDS), ...env }));
  return s;
}

async function ready(s: Service): Promise<void> {
  await waitFor(`${s.name} ready`, async () => (await s.readyz()).status === 200, 120_000);
}

/** The embedded snapshot of `files` under `period`, and the distributed one once `fault` has run. */
async function expectSameAsEmbedded(period: string, files: readonly PipelineInput[], got: Record<string, Buffer>): Promise<void> {
  const want = await embeddedSnapshot(period, files, join(dir, `embedded-${period}`), DATE);
  expect(Object.keys(got)).toEqual(Object.keys(want));
  expect(got['findings.csv']!.toString('utf8')).toBe(want['findings.csv']!.toString('utf8'));
  for (const name of Object.keys(want)) expect(got[name]!.equals(want[name]!), `${name} differs`).toBe(true);
}

function kafkajsConcurrentTxErrors(s: Service): number {
  return s.logLines().filter((l) => l['level'] === 50 && /concurrent operation on the same transaction/.test(`${l['msg']} ${l['error']}`)).length;
}

beforeAll(async () => {
  await topicsApply();
  dir = tempDir('faults');
  port = basePort();
  const gen = await generate({ outDir: join(dir, 'input'), households: 1500, seed: 61, period: '2021-09', formats: 'mixed' });
  inputs = [{ source: 'DTKS', path: gen.dtks }, ...gen.programs.map((p) => ({ source: p.program, path: p.path }) as PipelineInput)];
  store = S3ObjectStore.fromEnv(process.env);
  bus = new KafkaBus({ brokers: (process.env.KAFKA_BROKERS as string).split(','), clientId: `faults-${randomUUID()}`, contracts: TOPIC_CONTRACTS, logger: silentLogger });
  await bus.connect();
  svc.ingest = start('ingest');
  svc.normalize = start('normalize');
  svc.match = start('match');
  svc.report = start('report');
  for (const s of Object.values(svc)) await ready(s);
}, 600_000);

afterAll(async () => {
  for (const s of [...Object.values(svc), ...extra]) await s?.stop();
  await bus?.close();
});

describe('faults in the distributed run', () => {
  let cleanPeriod: string;

  it('a clean run is byte-identical to the embedded run, without kafkajs "concurrent operation on the same transaction" ERROR lines', { timeout: 300_000 }, async () => {
    cleanPeriod = uniquePeriod();
    await uploadToLanding(cleanPeriod, inputs);
    const { files } = await distributedSnapshot(cleanPeriod, inputs, join(dir, 'clean'), DATE);
    await expectSameAsEmbedded(cleanPeriod, inputs, files);
    expect(kafkajsConcurrentTxErrors(svc.ingest)).toBe(0);
  });

  it('reevaluations of two periods handled in one chunk both reach their owner (reevaluations of two periods processed together are lost)', { timeout: 180_000 }, async () => {
    const results = new Map<string, MatchResult>();
    const consumer = new KafkaBus({ brokers: (process.env.KAFKA_BROKERS as string).split(','), clientId: `faults-${randomUUID()}`, contracts: TOPIC_CONTRACTS, logger: silentLogger });
    const periods = [uniquePeriod(), uniquePeriod()];
    consumer.subscribe<ResultBatch>(TOPICS.results, `faults-${randomUUID()}`, async (m) => {
      for (const x of m) if (periods.includes(x.value.period)) for (const r of unpackResults(x.value)) results.set(`${r.period}/${r.source}#${r.row}`, r);
    });
    await consumer.run();
    const rec = (row: number, nik: string, name: string): NormalizedRecord => ({
      row, nikRaw: nik, nik, nikInvalid: null, nikSex: 'L', nikBirthDate: null, noKk: '1571010101100001', nama: name,
      nameKey: name, birthDate: null, kodeWilayah: null, regency: null, householdId: 'H1', deceased: false, warnings: [],
    });
    const batch = (period: string, source: 'DTKS' | 'PKH' | 'BST', file: string, records: NormalizedRecord[]): NormalizedBatch => ({
      v: 1, period, source, file, runId: 'r', format: 'csv', fields: ['nik', 'nama', 'no_kk'], records,
    });
    for (const period of periods) {
      await bus.publish(TOPICS.normalized, [{ key: 'd', value: batch(period, 'DTKS', 'dtks.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF'), rec(2, '1571015708850002', 'SITI AMINAH')]) }]);
      await bus.publish(TOPICS.files, [{ key: `${period}/DTKS/dtks.csv`, value: { v: 1, period, source: 'DTKS', file: 'dtks.csv', runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 1, fields: ['nik', 'nama'], headerRow: 1, rowsRead: 2, rowsEmitted: 2, rowsRejected: 0 } }]);
    }
    await bus.publish(TOPICS.normalized, periods.map((period) => ({ key: 'b', partition: 0, value: batch(period, 'BST', 'bst.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF')]) })));
    await waitFor('both BST results', () => periods.every((p) => results.has(`${p}/BST#1`)));
    // Both PKH records in one publish to one partition: one fetch, one chunk, one queue of
    // reevaluations holding the BST record of each period, owned by the same partition.
    await bus.publish(TOPICS.normalized, periods.map((period) => ({ key: 'p', partition: 1, value: batch(period, 'PKH', 'pkh.csv', [rec(1, '1571015708850002', 'SITI AMINAH')]) })));
    for (const period of periods) {
      await waitFor(`${period}: BST in conflict`, () => results.get(`${period}/BST#1`)?.reasons.includes('PROGRAM_CONFLICT'), 60_000);
    }
    await consumer.close();
  });

  it('report killed (-9) while a request waits: the restarted report still answers it (snapshot requests are lost)', { timeout: 300_000 }, async () => {
    const period = uniquePeriod();
    const [last, ...first] = [...inputs].reverse();
    await uploadToLanding(period, first);
    const answer = distributedSnapshot(period, inputs, join(dir, 'request-restart'), DATE);
    answer.catch(() => {});
    await waitFor('report holding the request', async () => /[1-9]\d* snapshot requests waiting/.test((await svc.report.readyz()).body));
    await svc.report.kill9();
    await uploadToLanding(period, [last!]);
    svc.report.restart();
    const { files } = await answer;
    await expectSameAsEmbedded(period, inputs, files);
  });

  it('report restarted with the same PADAN_INSTANCE_ID rebuilds a whole view (stable instance id never completes a period)', { timeout: 300_000 }, async () => {
    expect(await svc.report.stop()).toBe(0);
    svc.report.restart();
    const { files } = await distributedSnapshot(cleanPeriod, inputs, join(dir, 'stable-id'), DATE);
    await expectSameAsEmbedded(cleanPeriod, inputs, files);
  });

  it('S3 down while report writes: the write is retried, the request answered, the snapshot whole (snapshot lost after an S3 error)', { timeout: 420_000 }, async () => {
    const period = uniquePeriod();
    await uploadToLanding(period, inputs);
    for (const i of inputs) await waitFor(`${basename(i.path)} ingested`, () => store.exists(`ingest/done/landing/period=${period}/source=${i.source}/${basename(i.path)}.json`));
    await stopStackProcess('s3proxy');
    try {
      const answer = distributedSnapshot(period, inputs, join(dir, 's3-down'), DATE, 400_000);
      answer.catch(() => {});
      await waitFor('a failed snapshot write logged', () => svc.report.logLines().some((l) => l['period'] === period && /snapshot write failed/.test(String(l['msg']))), 240_000);
      restartStack();
      const { files } = await answer;
      await expectSameAsEmbedded(period, inputs, files);
    } finally {
      restartStack();
    }
  });

  it('a stray raw batch for a file ingest never announced does not block the period (one stray message blocks a period)', { timeout: 300_000 }, async () => {
    const period = uniquePeriod();
    const stray: RawBatch = {
      v: 1,
      period,
      source: 'PKH',
      file: 'stray.csv',
      runId: 'stray',
      format: 'csv',
      fields: ['nik', 'nama'],
      rows: [[2, ['0000000000000000', 'STRAY']]],
    };
    await bus.publish(TOPICS.raw, [{ key: 'PKH/stray.csv#2', value: stray }]);
    await uploadToLanding(period, inputs);
    const { files } = await distributedSnapshot(period, inputs, join(dir, 'stray'), DATE);
    await expectSameAsEmbedded(period, inputs, files);
    await waitFor('the stray logged', () => svc.report.logLines().some((l) => l['period'] === period && l['file'] === 'stray.csv' && /never announced/.test(String(l['msg']))));
    expect(await svc.report.metrics()).toMatch(/padan_stray_files_total\{service="report"\} [1-9]/);
    // Dead-lettered too, where its first result is, for `padan dlq inspect --topic`.
    await waitFor('the stray dead-lettered', async () => {
      const letters = await bus.readTopic<DeadLetter>(TOPICS.rejected, { idleMs: 1000 });
      return letters.some((m) => isRejectedMessage(m.value) && m.value.reason === 'MESSAGE_STRAY_FILE' && m.value.period === period && m.value.topic === TOPICS.results);
    }, 120_000, 3000);
  });

  it('a corrected file under the same landing name is refused by the CLI (exit 2) and logged by ingest (a corrected file is silently ignored)', { timeout: 180_000 }, async () => {
    const pkh = inputs.find((i) => i.source === 'PKH') as PipelineInput;
    const fixedDir = join(dir, 'corrected');
    mkdirSync(fixedDir, { recursive: true });
    const fixed = join(fixedDir, basename(pkh.path));
    const cliEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const same = spawnSync(process.execPath, [CLI, 'ingest', '--period', cleanPeriod, '--program', `PKH=${pkh.path}`], { encoding: 'utf8', env: cliEnv });
    expect(same.status, same.stderr).toBe(0);
    // Other content under the same name (the CLI and ingest compare checksums, not rows).
    writeFileSync(fixed, Buffer.concat([readFileSync(pkh.path), Buffer.from('\n')]));
    const refused = spawnSync(process.execPath, [CLI, 'ingest', '--period', cleanPeriod, '--program', `PKH=${fixed}`], { encoding: 'utf8', env: cliEnv });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/already holds a different file/);
    expect(refused.stderr).toMatch(/LANDING_NAME_TAKEN/);
    // One error line; the guardrail warnings before it say the file is named for 2021-09, not this test's own period.
    expect(refused.stderr.trim().split('\n').filter((l) => !/\[check [A-Z_]+\]$|--strict makes guardrail/.test(l))).toHaveLength(1);
    // Uploaded around the CLI (an operator's own tool): ingest does not ingest it, and says so.
    const key = `landing/period=${cleanPeriod}/source=PKH/${basename(pkh.path)}`;
    await store.putFile(key, fixed);
    const warned = await waitFor('ingest warning about the replaced upload', () =>
      svc.ingest.logLines().find((l) => l['level'] === 40 && /already ingested/.test(String(l['msg'])) && typeof l['landingSha256'] === 'string'),
    );
    expect(warned['ingestedSha256']).not.toBe(warned['landingSha256']);
    await store.putFile(key, pkh.path);
  });

  it('a lost ingest/done marker is rewritten (a lost marker is never rewritten)', { timeout: 180_000 }, async () => {
    const dtks = inputs[0] as PipelineInput;
    const marker = `ingest/done/landing/period=${cleanPeriod}/source=DTKS/${basename(dtks.path)}.json`;
    expect(await store.exists(marker)).toBe(true);
    await store.delete([marker]);
    expect(await svc.ingest.stop()).toBe(0);
    svc.ingest.restart();
    await waitFor('the marker rewritten', () => store.exists(marker));
    expect(JSON.parse((await store.get(marker)).toString('utf8')).rowsRead).toBeGreaterThan(0);
  });

  it('a period waiting longer than PADAN_STALL_AFTER_SECONDS is shown in /readyz, metrics and logs, and clears (visible stalls)', { timeout: 300_000 }, async () => {
    const period = uniquePeriod();
    const [dtks, ...programs] = inputs;
    await uploadToLanding(period, programs);
    const matchStall = await waitFor('match /readyz showing the stall', async () => {
      const r = await svc.match.readyz();
      return r.body.includes(`stalled: period ${period}`) ? r : undefined;
    });
    expect(matchStall.body).toMatch(/program batches held; DTKS release not announced yet/);
    expect(await svc.match.metrics()).toContain(`padan_stalled_seconds{period="${period}",service="match"}`);
    const reportStall = await waitFor('report /readyz showing the stall', async () => {
      const r = await svc.report.readyz();
      return r.body.includes(`stalled: period ${period}`) ? r : undefined;
    });
    expect(reportStall.body).toMatch(/files not accounted for/);
    expect(svc.match.logLines().filter((l) => l['period'] === period && l['msg'] === "period stalled: program rows held until the period's DTKS release is complete: check that the DTKS file was ingested (ingest/done/ marker) and that normalize is consuming")).toHaveLength(1);
    await uploadToLanding(period, [dtks!]);
    const { files } = await distributedSnapshot(period, inputs, join(dir, 'stall'), DATE);
    await expectSameAsEmbedded(period, inputs, files);
    await waitFor('the stall cleared in match', async () => !(await svc.match.readyz()).body.includes(period));
    await waitFor('the stall cleared in report', async () => !(await svc.report.readyz()).body.includes(period));
  });

  it('kill -9 of match (twice, one of two instances: rebalance) and of normalize mid-stream, then restart', { timeout: 300_000 }, async () => {
    const period = uniquePeriod();
    const second = start('match');
    extra.push(second);
    await ready(second);
    const recordsIn = async (s: Service) => Number(/padan_records_in_total\{topic="[^"]+",service="[a-z]+"\} (\d+)/.exec(await s.metrics())?.[1] ?? 0);
    await uploadToLanding(period, inputs);
    await waitFor('match consuming', async () => (await recordsIn(svc.match)) > 0 || (await recordsIn(second)) > 0, 120_000, 50);
    await svc.match.kill9();
    svc.match.restart();
    await waitFor('normalize consuming', async () => (await recordsIn(svc.normalize)) > 0, 120_000, 50);
    await svc.normalize.kill9();
    svc.normalize.restart();
    await ready(svc.match);
    await svc.match.kill9();
    svc.match.restart();
    const { files } = await distributedSnapshot(period, inputs, join(dir, 'kill-match'), DATE);
    await expectSameAsEmbedded(period, inputs, files);
    await second.stop();
  });

  it('kill -9 of ingest mid-file and of report, then restart', { timeout: 300_000 }, async () => {
    const period = uniquePeriod();
    await uploadToLanding(period, inputs);
    const published = async () => Number(/padan_records_out_total\{topic="padan\.raw\.v1",service="ingest"\} (\d+)/.exec(await svc.ingest.metrics())?.[1] ?? 0);
    await waitFor('ingest publishing', async () => (await published()) > 0, 120_000, 50);
    await svc.ingest.kill9();
    svc.ingest.restart();
    await svc.report.kill9();
    svc.report.restart();
    const { files } = await distributedSnapshot(period, inputs, join(dir, 'kill-ingest'), DATE);
    await expectSameAsEmbedded(period, inputs, files);
  });

  it('the broker stopped for 20 s and restarted', { timeout: 420_000 }, async () => {
    const period = uniquePeriod();
    await uploadToLanding(period, inputs);
    await waitFor('ingest started', () => svc.ingest.logLines().some((l) => /file ingested/.test(String(l['msg']))) || undefined, 60_000, 50);
    await stopStackProcess('kafka', 'SIGTERM');
    await new Promise((r) => setTimeout(r, 20_000));
    restartStack();
    const { files } = await distributedSnapshot(period, inputs, join(dir, 'broker'), DATE, 360_000);
    await expectSameAsEmbedded(period, inputs, files);
    for (const s of Object.values(svc)) expect(s.running, `${s.name} survived the broker outage`).toBe(true);
  });

  it('S3 down while ingest reads landing', { timeout: 300_000 }, async () => {
    const period = uniquePeriod();
    await uploadToLanding(period, inputs);
    await stopStackProcess('s3proxy');
    await waitFor('ingest failing to reach S3', () => svc.ingest.logLines().some((l) => l['level'] === 50 && /poll failed/.test(String(l['msg'])) && Date.parse(String(l['time'])) > Date.now() - 5000), 60_000);
    restartStack();
    const { files } = await distributedSnapshot(period, inputs, join(dir, 's3-ingest'), DATE);
    await expectSameAsEmbedded(period, inputs, files);
  });

  it('a slow consumer builds lag, then recovers', { timeout: 300_000 }, async () => {
    const period = uniquePeriod();
    expect(await svc.normalize.stop()).toBe(0);
    await uploadToLanding(period, inputs);
    for (const i of inputs) await waitFor(`${basename(i.path)} ingested`, () => store.exists(`ingest/done/landing/period=${period}/source=${i.source}/${basename(i.path)}.json`));
    expect((await bus.lag('padan-normalize', [TOPICS.raw]))[TOPICS.raw]).toBeGreaterThan(0);
    svc.normalize.restart();
    const { files } = await distributedSnapshot(period, inputs, join(dir, 'lag'), DATE);
    await expectSameAsEmbedded(period, inputs, files);
    await waitFor('normalize lag back to 0', async () => (await bus.lag('padan-normalize', [TOPICS.raw]))[TOPICS.raw] === 0);
    // Caught up on the whole backlog at once, with memory bounded by its batches, not the backlog.
    const rss = Number(/^process_resident_memory_bytes(?:\{[^}]*\})? (\d+)/m.exec(await svc.normalize.metrics())?.[1]);
    expect(rss).toBeGreaterThan(0);
    expect(rss).toBeLessThan(300 * 1024 * 1024);
  });

  it('Redis flushed: match rebuilds its state from the topics by itself, logs and counts it, and a restart on an emptied Redis rebuilds too (Redis loss hangs the period)', { timeout: 900_000 }, async () => {
    const rebuilds = async () => Number(/^padan_match_state_rebuilds_total\{service="match"\} (\d+)/m.exec(await svc.match.metrics())?.[1] ?? 0);
    const period = uniquePeriod();
    // Not 0 when match started on a Redis without its state after its group had consumed (a rebuild at start).
    const before = await rebuilds();
    execFileSync('redis-cli', ['-u', process.env.REDIS_URL as string, 'FLUSHALL']);
    await waitFor('the rebuild logged', () => svc.match.logLines().some((l) => l['level'] === 40 && /match state lost in Redis \(flushed, restarted empty or replaced\): rebuilding it/.test(String(l['msg']))));
    expect(await rebuilds()).toBe(before + 1);
    // No operator action: input that arrives during or after the replay ends in the same snapshot.
    await uploadToLanding(period, inputs);
    const { files } = await distributedSnapshot(period, inputs, join(dir, 'redis-flushed'), DATE, 420_000);
    await expectSameAsEmbedded(period, inputs, files);
    await waitFor('match ready after the rebuild', async () => (await svc.match.readyz()).status === 200, 300_000, 500);
    expect(await svc.match.metrics()).toMatch(/padan_match_state_rebuilding\{service="match"\} 0/);
    // Flushed while match is stopped: the restarted match finds no marker but committed offsets,
    // so it starts a rebuild generation and replays its partitions instead of trusting the empty Redis.
    expect(await svc.match.stop()).toBe(0);
    execFileSync('redis-cli', ['-u', process.env.REDIS_URL as string, 'FLUSHALL']);
    svc.match.restart();
    await waitFor('the restarted match replaying', () => svc.match.logLines().some((l) => l['level'] === 40 && /partitions not yet replayed into the rebuilt match state/.test(String(l['msg']))), 120_000);
    await ready(svc.match);
    expect(await rebuilds()).toBe(1);
    const after = uniquePeriod();
    await uploadToLanding(after, inputs);
    const again = await distributedSnapshot(after, inputs, join(dir, 'redis-flushed-restart'), DATE, 420_000);
    await expectSameAsEmbedded(after, inputs, again.files);
  });

  it('no NIK of the input appears in any service log, on any of the fault paths above', () => {
    const niks = new Set<string>();
    for (const i of inputs) for (const m of readFileSync(i.path).toString('latin1').matchAll(/\d{16}/g)) niks.add(m[0]);
    expect(niks.size).toBeGreaterThan(1000);
    const logs = readdirSync(join(dir, 'logs'));
    expect(logs.length).toBeGreaterThanOrEqual(4);
    for (const f of logs) {
      const text = readFileSync(join(dir, 'logs', f), 'utf8');
      const leaked = [...text.matchAll(/\d{16}/g)].map((m) => m[0]).filter((n) => niks.has(n));
      expect(leaked, `${f} holds NIKs of the input`).toEqual([]);
    }
  });
});
