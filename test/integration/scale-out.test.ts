/**
 * Scale-out without restarts (issue 7): the topics grow from 3 to 6 partitions while a distributed
 * run is under way, the services keep running (each started once, none exits), they pick up the
 * new partitions (normalize routes records to them, match's group rejoins and consumes them), and
 * the snapshot is byte-identical to the embedded run's. On a stack of its own: partition counts
 * only grow, and the shared stack's topics must stay at the catalog's 3.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules, runEmbedded } from '@padan/cli';
import { CONSUMER_GROUPS, TOPICS } from '@padan/contracts';
import type { SnapshotAnnouncement } from '@padan/contracts';
import { connectAdmin } from '@padan/kafka';
import type { KafkaAdmin } from '@padan/kafka';
import { generate } from '@padan/synth';
import { downloadSnapshot, requestSnapshot, startServices, topicsApply, uploadToLanding } from '../../packages/cli/src/distributed.js';
import { snapshotFiles, waitFor } from '../helpers/faults-stack.js';
import { tempDir } from '../helpers/golden.js';
import { OwnStack } from '../helpers/own-stack.js';
import { uniquePeriod } from '../helpers/period.js';

const stack = new OwnStack({ kafka: 28092, controller: 28093, s3: 28000, redis: 28379 });
let env: NodeJS.ProcessEnv;
let admin: KafkaAdmin;

beforeAll(() => {
  env = stack.up();
}, 180_000);

afterAll(async () => {
  await admin?.disconnect().catch(() => {});
  stack.down();
}, 120_000);


async function counts(topics: readonly string[]): Promise<Record<string, number>> {
  const meta = await admin.fetchTopicMetadata({ topics: [...topics] });
  return Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
}

async function messagesIn(topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
}

describe('partitions added mid-run', () => {
  it('3 → 6 partitions while the services run: no restart, the new partitions are used, the same snapshot', { timeout: 900_000 }, async () => {
    const period = uniquePeriod();
    const dir = tempDir('scale-out');
    const gen = await generate({ outDir: join(dir, 'input'), households: 3000, seed: 33, period, formats: 'mixed' });
    const inputs = [{ source: 'DTKS' as const, path: gen.dtks }, ...gen.programs.map((p) => ({ source: p.program, path: p.path }))];
    const embedded = await runEmbedded({
      period,
      inputs,
      outDir: join(dir, 'embedded'),
      date: '2021-09-30',
      rules: loadRules(),
      hashKey: 'scale-out-hash-key-0001',
      padanVersion: JSON.parse(readFileSync(new URL('../../services/report/package.json', import.meta.url), 'utf8')).version,
    });

    admin = await connectAdmin({ brokers: (env.KAFKA_BROKERS as string).split(','), clientId: 'padan-test-admin' });
    // The topics whose records are spread by key or NIK hash: what scaling out means for padan.
    const grown = [TOPICS.raw, TOPICS.normalized, TOPICS.results] as const;
    const [dtks, ...programs] = inputs;

    // In phases, so that the growth lands mid-run whatever the machine's speed: the DTKS release
    // first (on 3 partitions), then the partitions grow while the services run, and only once every
    // normalize instance has noticed do the programs arrive, so their records must use the new ones.
    await topicsApply(env);
    const logDir = join(dir, 'distributed', 'logs');
    const services = startServices({
      env: { ...env, PADAN_HASH_KEY: 'scale-out-hash-key-0001', REPORT_TICK_MS: '200', INGEST_POLL_MS: '300', LOG_LEVEL: 'info', KAFKA_PARTITION_WATCH_MS: '1000' },
      instances: { normalize: 2, match: 2 },
      basePort: 19564,
      logDir,
    });
    let grewAt = -1;
    let snapshotDir: string;
    try {
      await uploadToLanding(period, [dtks!], env);
      grewAt = await waitFor('normalized DTKS records', async () => {
        const n = await messagesIn(TOPICS.normalized).catch(() => 0);
        return n > 0 ? n : undefined;
      });
      await admin.createPartitions({ topicPartitions: grown.map((topic) => ({ topic, count: 6 })) });
      // normalize routes by NIK hash over the count its bus checks every KAFKA_PARTITION_WATCH_MS.
      const noticed = () =>
        readdirSync(logDir)
          .filter((f) => f.startsWith('normalize-'))
          .every((f) => readFileSync(join(logDir, f), 'utf8').split('\n').some((l) => l.includes('topic partition count changed') && l.includes(`"topic":"${TOPICS.normalized}"`)));
      await waitFor('every normalize instance noticing that the normalized topic grew', noticed);
      await uploadToLanding(period, programs, env);
      const snapshot = await requestSnapshot(
        { period, date: '2021-09-30', expect: inputs.map((i) => ({ source: i.source, file: basename(i.path) })), wait: true, signal: services.exited },
        env,
      );
      snapshotDir = await downloadSnapshot(snapshot as SnapshotAnnouncement, join(dir, 'distributed'), env);
    } finally {
      await services.stop();
    }

    // Grown mid-run, not before the run started nor after it ended.
    expect(grewAt).toBeGreaterThan(0);
    expect(await counts(grown)).toEqual(Object.fromEntries(grown.map((t) => [t, 6])));
    expect(await messagesIn(TOPICS.normalized)).toBeGreaterThan(grewAt);
    // The new partitions carried records, and match's group consumed them to the end.
    const normalizedOffsets = await admin.fetchTopicOffsets(TOPICS.normalized);
    const onNew = normalizedOffsets.filter((o) => o.partition >= 3).reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
    expect(onNew).toBeGreaterThan(0);
    const committed = (await admin.fetchOffsets({ groupId: CONSUMER_GROUPS.match, topics: [TOPICS.normalized] }))[0]!.partitions;
    for (const o of normalizedOffsets) {
      // An empty partition has nothing to commit (-1).
      if (Number(o.high) > Number(o.low)) expect(Number(committed.find((c) => c.partition === o.partition)?.offset), `match committed partition ${o.partition}`).toBe(Number(o.high));
    }

    // Each consuming instance (2 normalize, 2 match, 1 report) started once and rejoined its group
    // in the same process; match's and normalize's groups noticed the new partitions.
    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8'));
    const starts = logs.map((l) => l.split('\n').filter((line) => /"msg":"(normalize|match|report) consuming"/.test(line)).length).filter((n) => n > 0);
    expect(starts).toEqual([1, 1, 1, 1, 1]);
    expect(logs.filter((l) => l.includes('topic partition count changed')).length).toBeGreaterThanOrEqual(2);

    const a = snapshotFiles(embedded.snapshotDir);
    const b = snapshotFiles(snapshotDir);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const name of Object.keys(a)) expect(b[name]!.equals(a[name]!), `${name} differs`).toBe(true);
  });
});
