import type { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { z } from 'zod';
import { dtksIndexEntryKey, recordKey, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { FileCompleted, MatchResult, NormalizedBatch } from '@padan/contracts';
import { KafkaBus, kafkaConnectionFromEnv, partitionFor } from '@padan/kafka';
import { busHooks, commonEnv, createLogger, loadConfig, loadRules, onShutdown, redisEnv, redisTarget, StageMetrics, StallWatch, stallEnv, startHttpServer, startLagReporter } from '@padan/service-kit';
import { MatchStage } from './match-stage.js';
import { reevaluationMessages } from './reevaluation-messages.js';
import { connectRedis, RedisMatchState } from '@padan/match-state';
import { GENERATION_KEY, StateGeneration } from './state-generation.js';
import type { GenerationStatus } from './state-generation.js';

/** The match service: reconciles normalized records against the period's DTKS release, state in Redis. */
const config = loadConfig(
  z.object({
    ...commonEnv,
    ...redisEnv,
    ...stallEnv,
    PADAN_RULES_FILE: z.string().optional(),
    MATCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  }),
);
const logger = createLogger('match', config.LOG_LEVEL);
const metrics = new StageMetrics('match');
const GROUP = 'padan-match';

const { rules } = loadRules(config.PADAN_RULES_FILE);
const redis = redisTarget(config);
const stateRedis = connectRedis(redis);
const state = new RedisMatchState(stateRedis);
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

// ------------------------------------------------------------------ state loss (Redis flushed)
const generationRedis = connectRedis(redis, { maxRetriesPerRequest: 1 });
// StateGeneration still speaks to one Redis (its SCAN sees one node of a Cluster): its rework for
// the rebuild of issue 7 takes the Cluster client as is.
const generation = new StateGeneration(generationRedis as Redis);
const stateLost = metrics.gauge('padan_match_state_lost', '1 while match has stopped consuming because Redis lost its state (generation marker missing)');
const stateLosses = metrics.counter('padan_match_state_losses_total', 'Times match found its Redis state lost (generation marker missing or changed)');
const LOST_DETAIL =
  `match state lost: the Redis generation marker ${GENERATION_KEY} is missing or changed (Redis flushed, or restarted without its data) ` +
  `while group ${GROUP} has consumed before; match stopped consuming so that it publishes no wrong results. ` +
  `Restore Redis from a backup (match resumes by itself), or rebuild: stop every match instance, flush Redis, delete the consumer group ` +
  `(kafka-consumer-groups.sh --delete --group ${GROUP}) and start match to replay the retained topics`;
let generationStatus: GenerationStatus = 'intact';

/** Applies a generation check; logs and counts transitions only, pauses and resumes consumption. */
function onGeneration(status: GenerationStatus): void {
  const was = generationStatus;
  if (status === 'unreachable' || status === was) {
    if (status === 'unreachable' && was !== 'unreachable') logger.warn({}, 'Redis unreachable while checking the state generation; retrying');
    if (status === 'unreachable') generationStatus = 'unreachable';
    return;
  }
  generationStatus = status;
  if (status === 'lost') {
    stateLosses.inc();
    stateLost.set(1);
    logger.error({ marker: GENERATION_KEY, group: GROUP }, LOST_DETAIL);
    for (const topic of [TOPICS.normalized, TOPICS.files]) bus.pause(GROUP, topic);
  } else if (was === 'lost') {
    stateLost.set(0);
    logger.info({ marker: GENERATION_KEY }, 'match state generation intact again: consuming');
    for (const topic of [TOPICS.normalized, TOPICS.files]) bus.resume(GROUP, topic);
  }
}

/** Before each chunk: a chunk handled on a lost state would be committed with wrong results. */
async function guardState(): Promise<void> {
  onGeneration(await generation.check());
  if (generationStatus === 'lost') throw new Error('match state lost in Redis: chunk left uncommitted (see the error logged once)');
}

// ------------------------------------------------------------------ stalls (held batches)
/** Periods with program batches this instance held (DTKS release incomplete), and how many. */
const held = new Map<string, number>();
const stalls = new StallWatch(
  config.PADAN_STALL_AFTER_SECONDS * 1000,
  metrics.stalled,
  logger,
  "program rows held until the period's DTKS release is complete: check that the DTKS file was ingested (ingest/done/ marker) and that normalize is consuming",
);

async function pendingPeriods(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [period, batches] of held) {
    const expected = await state.dtksExpected(period);
    let want = 0;
    let seen = 0;
    for (const [file, rows] of expected) {
      want += rows;
      seen += Math.min(rows, await state.markDtksRowsSeen(period, file, []));
    }
    if (expected.size > 0 && seen >= want) {
      held.delete(period);
      continue;
    }
    out.set(period, `${batches} program batches held; DTKS release ${expected.size === 0 ? 'not announced yet' : `${seen} of ${want} rows indexed`}`);
  }
  return out;
}

async function publishResults(results: readonly MatchResult[]): Promise<void> {
  const index = stage.takeIndexChanges();
  if (index.length > 0) await bus.publish(TOPICS.dtksIndex, index.map((e) => ({ key: dtksIndexEntryKey(e), value: e })));
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
  if (queued.length > 0) await bus.publish(TOPICS.normalized, reevaluationMessages(queued));
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
  await guardState();
  // Batches of one chunk are independent (state updates are atomic per key in Redis), so they
  // run concurrently, bounded; the chunk is committed only once all their results are acknowledged.
  const results = await Promise.all(
    messages.map((m) =>
      limit(async () => {
        periods.add(m.value.period);
        metrics.recordsIn.labels(TOPICS.normalized).inc(m.value.records.length);
        const out = await stage.onNormalized(m.value);
        const b = m.value;
        if (out.length === 0 && b.records.length > 0 && b.source !== 'DTKS' && !b.reevaluate?.length) held.set(b.period, (held.get(b.period) ?? 0) + 1);
        return out;
      }),
    ),
  );
  await publishResults(results.flat());
}

bus.subscribe<FileCompleted>(TOPICS.files, GROUP, (messages) =>
  exclusive(async () => {
    await guardState();
    for (const m of messages) {
      periods.add(m.value.period);
      await publishResults(await stage.onFileCompleted(m.value));
    }
  }),
);

const http = await startHttpServer(config.HTTP_PORT, metrics.registry, {
  live: () => true,
  ready: () => {
    const details = [...(generationStatus === 'lost' ? [LOST_DETAIL] : []), ...(generationStatus === 'unreachable' ? ['Redis unreachable: retrying'] : []), ...stalls.details()];
    return { ready: running && generationStatus === 'intact', details };
  },
});
// Decided before consuming: a restarted match must not begin a new generation on an emptied Redis.
for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
  try {
    onGeneration(await generation.start(() => bus.hasCommittedOffsets(GROUP, [TOPICS.normalized, TOPICS.files])));
    break;
  } catch (e) {
    logger.warn({ err: (e as Error).message, retryInMs: wait }, 'cannot check the state generation at start (Redis or Kafka unreachable); retrying');
    await new Promise((r) => setTimeout(r, wait));
  }
}
await bus.run();
running = true;
logger.info({ httpPort: http.port, rules: rules.version }, 'match consuming');

// Safety net for held program batches: if the event that completed a release reached another
// instance at the wrong moment, the next tick reconciles them.
let polling = false;
const pollTimer = setInterval(() => {
  if (polling || !running || generationStatus !== 'intact') return;
  polling = true;
  exclusive(async () => {
    for (const period of periods) await publishResults(await stage.poll(period));
  })
    .catch((e: Error) => logger.warn({ err: e.message }, 'poll failed; retrying on the next tick'))
    .finally(() => (polling = false));
}, 3000);
pollTimer.unref();
const stopLag = startLagReporter((g) => bus.lag(g), GROUP, metrics);

// Between chunks too: an idle match finds a lost state (and a restored one) on its own.
let watching = false;
const watchTimer = setInterval(() => {
  if (watching || !running) return;
  watching = true;
  (async () => {
    onGeneration(await generation.check());
    if (generationStatus === 'intact') stalls.update(await pendingPeriods());
  })()
    .catch((e: Error) => logger.warn({ err: e.message }, 'state watch failed; retrying on the next tick'))
    .finally(() => (watching = false));
}, 2000);
watchTimer.unref();

onShutdown(logger, async () => {
  running = false;
  clearInterval(pollTimer);
  clearInterval(watchTimer);
  stopLag();
  await bus.close();
  await state.close();
  await stateRedis.quit().catch(() => {});
  await generationRedis.quit().catch(() => {});
  await http.close();
});
