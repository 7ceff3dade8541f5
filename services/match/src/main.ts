import pLimit from 'p-limit';
import { z } from 'zod';
import { recordKey, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { FileCompleted, MatchResult, NormalizedBatch } from '@padan/contracts';
import { KafkaBus, kafkaConnectionFromEnv, partitionFor } from '@padan/kafka';
import { busHooks, commonEnv, createLogger, loadConfig, loadRules, onShutdown, redisEnv, StageMetrics, startHttpServer, startLagReporter } from '@padan/service-kit';
import { MatchStage } from './match-stage.js';
import { RedisMatchState } from './redis-match-state.js';
import { indexEntryKey } from './state-codec.js';

/** The match service: reconciles normalized records against the period's DTKS release, state in Redis. */
const config = loadConfig(
  z.object({
    ...commonEnv,
    ...redisEnv,
    PADAN_RULES_FILE: z.string().optional(),
    MATCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  }),
);
const logger = createLogger('match', config.LOG_LEVEL);
const metrics = new StageMetrics('match');
const GROUP = 'padan-match';

const { rules } = loadRules(config.PADAN_RULES_FILE);
const state = new RedisMatchState(config.REDIS_URL);
const bus = new KafkaBus({
  ...kafkaConnectionFromEnv(process.env, config.KAFKA_CLIENT_ID ?? 'padan-match'),
  contracts: TOPIC_CONTRACTS,
  ...busHooks(logger, metrics),
});
const partitions = await bus.partitions(TOPICS.normalized);
// A record is owned by the partition normalize routed it to (its NIK, else its identity); changes
// found elsewhere go to the owner as a reevaluation, so each record has one writer of results.
const stage = new MatchStage(state, rules, {
  changelog: true,
  owner: (b) => partitionFor(b.nikValid ? b.nik : b.key, partitions),
});
const periods = new Set<string>();
const limit = pLimit(config.MATCH_CONCURRENCY);
let running = false;

async function publishResults(results: readonly MatchResult[]): Promise<void> {
  const index = stage.takeIndexChanges();
  if (index.length > 0) await bus.publish(TOPICS.dtksIndex, index.map((e) => ({ key: indexEntryKey(e), value: e })));
  if (results.length === 0) {
    await publishReevaluations();
    return stage.acknowledge();
  }
  // One result per message, keyed by record identity: the results topic is compacted per record.
  // Batches of a chunk run concurrently, so one record may come out twice with different
  // evidence; only its most informed result is published, so compaction keeps that one.
  const latest = new Map<string, MatchResult>();
  for (const r of results) {
    const key = recordKey(r, r.row);
    const seen = latest.get(key);
    if (!seen || seen.seq < r.seq) latest.set(key, r);
  }
  await bus.publish(TOPICS.results, [...latest].map(([key, value]) => ({ key, value })));
  metrics.recordsOut.labels(TOPICS.results).inc(latest.size);
  await publishReevaluations();
  await stage.acknowledge();
}

async function publishReevaluations(): Promise<void> {
  const queued = stage.takeReevaluations();
  if (queued.length === 0) return;
  await bus.publish(
    TOPICS.normalized,
    queued.map(({ partition, bases }) => {
      const first = bases[0] as (typeof bases)[number];
      const value: NormalizedBatch = {
        v: 1,
        period: first.period,
        source: first.source,
        file: first.file,
        runId: first.runId,
        format: first.format,
        fields: [],
        records: [],
        reevaluate: [...new Set(bases.map((b) => b.key))],
      };
      return { key: `reevaluate/${first.key}`, partition, value };
    }),
  );
}

// Chunk handlers and the poll timer take turns: the stage's queues (held batches to acknowledge,
// reevaluations, index changes) then always belong to the publish that drains them.
let turn: Promise<unknown> = Promise.resolve();
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = turn.then(fn);
  turn = run.catch(() => {});
  return run;
}

bus.subscribe<NormalizedBatch>(TOPICS.normalized, GROUP, (messages) => exclusive(() => handleNormalized(messages)));

async function handleNormalized(messages: readonly { value: NormalizedBatch }[]): Promise<void> {
  // Batches of one chunk are independent (state updates are atomic per key in Redis), so they
  // run concurrently, bounded; the chunk is committed only once all their results are acknowledged.
  const results = await Promise.all(
    messages.map((m) =>
      limit(async () => {
        periods.add(m.value.period);
        metrics.recordsIn.labels(TOPICS.normalized).inc(m.value.records.length);
        return stage.onNormalized(m.value);
      }),
    ),
  );
  await publishResults(results.flat());
}

bus.subscribe<FileCompleted>(TOPICS.files, GROUP, (messages) =>
  exclusive(async () => {
    for (const m of messages) {
      periods.add(m.value.period);
      await publishResults(await stage.onFileCompleted(m.value));
    }
  }),
);

const http = await startHttpServer(config.HTTP_PORT, metrics.registry, { live: () => true, ready: () => running });
await bus.run();
running = true;
logger.info({ httpPort: http.port, rules: rules.version }, 'match consuming');

// Safety net for held program batches: if the event that completed a release reached another
// instance at the wrong moment, the next tick reconciles them.
let polling = false;
const pollTimer = setInterval(() => {
  if (polling || !running) return;
  polling = true;
  exclusive(async () => {
    for (const period of periods) await publishResults(await stage.poll(period));
  })
    .catch((e: Error) => logger.warn({ err: e.message }, 'poll failed; retrying on the next tick'))
    .finally(() => (polling = false));
}, 3000);
pollTimer.unref();
const stopLag = startLagReporter((g) => bus.lag(g), GROUP, metrics);

onShutdown(logger, async () => {
  running = false;
  clearInterval(pollTimer);
  stopLag();
  await bus.close();
  await state.close();
  await http.close();
});
