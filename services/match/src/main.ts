import type { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { z } from 'zod';
import { CONSUMER_GROUPS, MESSAGE_KEYS, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { FileCompleted, MatchStatus, NormalizedBatch } from '@padan/contracts';
import { KafkaBus, kafkaConnectionOf, partitionFor } from '@padan/kafka';
import { busHooks, commonEnv, createLogger, loadConfig, loadRules, onShutdown, redisEnv, redisTarget, StageMetrics, StallWatch, stallEnv, startHttpServer, startLagReporter } from '@padan/service-kit';
import { archiveProgress, ensureNotClosed, gateDtksRelease, MatchStage, mergeMatchOutputs, publishMatchOutput, reopenClosedPeriods, requestArchiveReplay } from '@padan/pipeline';
import type { MatchOutput } from '@padan/pipeline';
import { connectRedis, GENERATION_KEY, programFileName, RedisArchiveAwaited, RedisMatchState, RedisReleaseClaim, StateGeneration, stateKeyPrefix } from '@padan/match-state';
import type { Generation } from '@padan/match-state';

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
const GROUP = CONSUMER_GROUPS.match;
/**
 * Held program batches reconciled, published and acknowledged at a time once the DTKS release is
 * complete. Normalized batches hold up to ~2 000 records: 16 of them keep a release's results in
 * tens of MB, where releasing the whole backlog at once grew with the input (1.3 GB at 1.6 M rows).
 */
const HELD_PAGE_BATCHES = 16;

const { rules } = loadRules(config.PADAN_RULES_FILE);
const bus = new KafkaBus({
  ...kafkaConnectionOf(config, GROUP),
  contracts: TOPIC_CONTRACTS,
  ...busHooks(logger, metrics),
});
/**
 * The partition count of padan.normalized.v1, read again before each chunk (cached by the bus,
 * which also follows a count that grows): owners of reevaluations are computed over every
 * partition. Instances may disagree for a moment after partitions are added; a record then has two
 * writers, which is safe: a result's `seq` is the size of the evidence it saw, so the highest one
 * wins whichever instance wrote it (result batches are keyed by their rows and seqs: compaction
 * never replaces a higher seq by a lower one).
 */
let partitions = await bus.partitions(TOPICS.normalized);
const periods = new Set<string>();
const limit = pLimit(config.MATCH_CONCURRENCY);
let running = false;
/** The topics match replays into a rebuilt state: the records, and the file announcements (DTKS completeness). */
const INPUTS = [TOPICS.normalized, TOPICS.files] as const;

// ------------------------------------------------------------------ state and its generation
// One client for the state of every generation (a generation is a key prefix), one for the
// marker, failing fast so that a check never waits behind a long retry.
const redis = redisTarget(config);
const stateRedis = connectRedis(redis);
const generationRedis = connectRedis(redis, { maxRetriesPerRequest: 1 });
// The marker is one key, which a Cluster client reaches like a single Redis; only `purge` (SCAN)
// would see one node of a Cluster (noted in README: stale keys of a lost generation may remain).
const generation = new StateGeneration(generationRedis as Redis);
/** The generation the state and the stage below are bound to. */
let bound!: Generation;
let state!: RedisMatchState;
/** Periods whose input is coming back from the raw archive, in the bound generation (held on match status until back). */
let awaited!: RedisArchiveAwaited;
let stage!: MatchStage;
/** The stage of the poll timer's releases of held batches (see useGeneration). */
let releaseStage!: MatchStage;

/**
 * Binds the state and the stage to a generation. The stage is new too: what it remembers (periods
 * whose DTKS release it found complete) belongs to the generation it was computed in.
 */
function useGeneration(g: Generation): void {
  bound = g;
  state = new RedisMatchState(stateRedis, { keyPrefix: stateKeyPrefix(g) });
  awaited = new RedisArchiveAwaited(stateRedis, stateKeyPrefix(g));
  replayOpen = g.kind === 'fresh';
  // A record is owned by the partition normalize routed it to (its NIK, else its identity); changes
  // found elsewhere go to the owner as a reevaluation, so each record has one writer of results.
  const gated = gateDtksRelease(state, () => replayOpen && generation.current.marker === g.marker);
  // One claim for both stages: they take turns (exclusive), and its holder id is this process's.
  const releaseClaim = new RedisReleaseClaim(stateRedis, stateKeyPrefix(g));
  stage = new MatchStage(gated, rules, {
    changelog: true,
    owner: (b) => partitionFor(b.nikValid ? b.nik : b.key, partitions),
    heldPage: HELD_PAGE_BATCHES,
    releaseClaim,
  });
  // Held batches released by the poll timer are not this instance's partitions' records anyway.
  // Without an owner, the results their evidence changes come out in the same publish instead of
  // one reevaluation hop later: after a rebuild the whole held backlog is released at once, and a
  // hop could land after report found every row accounted for and wrote the snapshot.
  releaseStage = new MatchStage(gated, rules, { changelog: true, heldPage: HELD_PAGE_BATCHES, releaseClaim });
  held.clear();
}

// ------------------------------------------------------------------ rebuild (Redis lost the state)
const rebuildsTotal = metrics.counter('padan_match_state_rebuilds_total', 'Rebuilds of the match state after Redis lost it (flushed, restarted empty or replaced): the input topics replayed into a new generation');
const rebuildingGauge = metrics.gauge('padan_match_state_rebuilding', '1 while match replays its input partitions into a rebuilt Redis state');
/** Whether every input partition has been replayed into the adopted generation (see replay-gate.ts). */
let replayOpen = false;
/** While set, a loss was noticed and the new generation is being adopted: chunks are refused. */
let recovering: Promise<void> | null = null;
/** The replay in progress: where this instance's rewound partitions ended when rewound. */
let replay: { since: number; ends: Record<string, Map<number, { low: number; high: number }>> } | null = null;
let redisUnreachable = false;
const archiveRequestsTotal = metrics.counter(
  'padan_match_archive_replay_requests_total',
  "Periods match asked ingest to publish again from the raw archive: a rebuild found its input past the topics' retention",
);

/**
 * After partitions of padan.normalized.v1 were rewound into generation `g`: when records were past
 * retention, asks ingest for every announced period from the raw archive (requestArchiveReplay;
 * one instance per generation, by a claim in the generation's key space).
 */
async function askArchiveIfLost(g: Generation, ends: ReadonlyMap<number, { low: number; high: number }>): Promise<void> {
  const claimKey = `${stateKeyPrefix(g)}archive-replay-requested`;
  const periods = await requestArchiveReplay(g, ends, {
    claim: async () => (await generationRedis.set(claimKey, '1', 'NX')) === 'OK',
    release: async () => void (await generationRedis.del(claimKey)),
    announcedFiles: async () => (await bus.readTopic<FileCompleted>(TOPICS.files)).map((m) => m.value),
    awaitArchive: (periods) => awaitArchive(g, periods),
    publish: (requests) => bus.publish(TOPICS.archiveReplayRequests, requests.map((value) => ({ key: MESSAGE_KEYS.archiveReplayRequest(value), value }))),
  });
  if (periods === null) return;
  archiveRequestsTotal.inc(periods.length);
  logger.warn(
    { generation: g.id, periods: periods.length, topic: TOPICS.normalized, reason: 'INPUT_PAST_RETENTION' },
    "the rebuild found records of padan.normalized.v1 past their retention: asked ingest to publish every announced period's files again from the raw archive; results converge once they are in",
  );
}
const reopenedTotal = metrics.counter(
  'padan_match_periods_reopened_total',
  'Closed periods (padan period close) that a later record reopened: match asked ingest to publish their files again from the raw archive',
);

/**
 * Before a chunk's state work: the closed periods among the chunk's are reopened (by one instance)
 * and asked for from the raw archive, so the chunk is never reconciled against dropped evidence.
 */
async function reopenIfClosed(g: Generation, chunkPeriods: readonly string[]): Promise<void> {
  const claim = new RedisReleaseClaim(stateRedis, stateKeyPrefix(g), 60_000, 'reopen-claim');
  const reopened = await reopenClosedPeriods(
    {
      state,
      claim: (period) => claim.take(period),
      awaitArchive: (periods) => awaitArchive(g, periods),
      publish: (requests) => bus.publish(TOPICS.archiveReplayRequests, requests.map((value) => ({ key: MESSAGE_KEYS.archiveReplayRequest(value), value }))),
    },
    chunkPeriods,
    g.id,
  );
  if (reopened.length === 0) return;
  reopenedTotal.inc(reopened.length);
  for (const period of reopened) {
    logger.warn(
      { period, generation: g.id, reason: 'PERIOD_REOPENED' },
      "a record arrived for a closed period: reopened it and asked ingest to publish the period's files again from the raw archive; its results converge once they are in",
    );
  }
}

/**
 * Marks periods of generation `g` as awaiting their input from the raw archive: match's status
 * holds them (publishStatus) until every announced row is back (settleAwaited), so report writes
 * no snapshot from a partial period.
 */
async function awaitArchive(g: Generation, periods: readonly string[]): Promise<void> {
  await new RedisArchiveAwaited(stateRedis, stateKeyPrefix(g)).add(periods);
  for (const period of periods) statusDue.add(period);
}

/** Awaited periods whose rows are all back are released: their status is published again (not held). */
async function settleAwaited(g: Generation): Promise<void> {
  for (const period of await awaited.list()) {
    const progress = await archiveProgress(state, period);
    if (!progress.complete) continue;
    await awaited.remove(period);
    statusDue.add(period);
    logger.info({ period, generation: g.id, rows: progress.want }, "every row of the period is back from the raw archive: its results are whole again, and report may write its snapshot");
  }
}

/** Generations this instance lost; their keys (stale writes of chunks in flight) are deleted once the replay caught up. */
const lostGenerations: Generation[] = [];

/**
 * Replays, into generation `g`, the partitions of `assignment` that no member has rewound for it
 * yet, and marks them. Ran when a rebuild generation is adopted (the partitions held then) and
 * after every rebalance (partitions that moved here).
 */
async function rewindUnmarked(g: Generation, assignment: Readonly<Record<string, readonly number[]>>): Promise<number> {
  let n = 0;
  for (const topic of INPUTS) {
    const todo = await generation.needsRewind(g, topic, assignment[topic] ?? []);
    if (todo.length > 0) {
      const ends = await bus.rewind(GROUP, topic, todo);
      // Records past retention come back from the raw archive; asked before the partitions are
      // marked, so a failed request is retried with the rewind.
      if (topic === TOPICS.normalized) await askArchiveIfLost(g, ends);
      await generation.markRewound(g, topic, todo);
      track(topic, ends);
      n += todo.length;
    }
    // Rewound by a member that lost them before their replay caught up: this member sees it through.
    const moved = (await generation.replaying(g, topic, assignment[topic] ?? [])).filter((p) => !todo.includes(p) && !replay?.ends[topic]?.has(p));
    if (moved.length > 0) {
      const ends = (await bus.endOffsets([topic]))[topic] ?? new Map<number, { low: number; high: number }>();
      track(topic, new Map(moved.map((p) => [p, ends.get(p) ?? { low: 0, high: 0 }])));
    }
  }
  return n;
}

/** Follows partitions being replayed here until the group's committed offsets reach `ends`. */
function track(topic: string, ends: ReadonlyMap<number, { low: number; high: number }>): void {
  replay ??= { since: Date.now(), ends: {} };
  const into = (replay.ends[topic] ??= new Map());
  for (const [p, at] of ends) into.set(p, at);
}

function assignment(): Record<string, readonly number[]> {
  return Object.fromEntries(INPUTS.map((t) => [t, bus.assigned(GROUP, t)]));
}

/** Starts a recovery once, whoever noticed the loss first (a chunk, the watch timer). */
function onLoss(): void {
  recovering ??= recover().finally(() => (recovering = null));
}

/**
 * Pauses the inputs, lets the chunk in flight end (it fails its generation check: not published,
 * not committed), adopts the deployment's new generation and rewinds this instance's partitions
 * into it, then resumes. A loss noticed again meanwhile (Redis flushed during the rebuild) is
 * noticed by the next check and starts it again.
 */
async function recover(): Promise<void> {
  for (const topic of INPUTS) bus.pause(GROUP, topic);
  rebuildingGauge.set(1);
  // The generation the stage was bound to when the loss was noticed: an attempt that adopted the
  // new one and then failed to rewind (Kafka unreachable, a rebalance) is retried up to the rewind.
  const lost = bound;
  for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
    try {
      const done = await exclusive(async () => {
        const next = await generation.renew();
        if (next.marker === lost.marker) return false;
        if (bound.marker !== next.marker) {
          lostGenerations.push(bound);
          useGeneration(next);
          replay = null;
          rebuildsTotal.inc();
        }
        const rewound = await rewindUnmarked(next, assignment());
        logger.warn(
          { marker: GENERATION_KEY, generation: next.id, partitions: rewound, group: GROUP },
          'match state lost in Redis (flushed, restarted empty or replaced): rebuilding it in a new generation by replaying the input topics from their earliest offsets; not ready until the replay has caught up',
        );
        return true;
      });
      if (!done && replay === null && replayOpen) rebuildingGauge.set(0);
      break;
    } catch (e) {
      logger.warn({ err: (e as Error).message, retryInMs: wait }, 'cannot adopt a new state generation yet (Redis or Kafka unreachable); retrying');
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  for (const topic of INPUTS) bus.resume(GROUP, topic);
}

/**
 * Ends this instance's part of the replay once its rewound partitions are committed up to where
 * they ended when rewound (marked in Redis for the other members), and opens the generation once
 * every partition of the deployment has caught up.
 */
async function checkReplay(): Promise<void> {
  const g = bound;
  if (!replayOpen && replay === null) {
    replayOpen = await generation.replayDone(g, Object.fromEntries(await Promise.all(INPUTS.map(async (t) => [t, await bus.partitions(t)] as const))));
    if (replayOpen) {
      rebuildingGauge.set(0);
      logger.info({ generation: g.id }, 'match state rebuilt on every partition: program records held during the replay are reconciled now');
    }
  }
  const r = replay;
  if (!r) return;
  if (!(await bus.reached(GROUP, r.ends))) return;
  if (replay !== r || generation.current.marker !== g.marker) return;
  for (const [topic, ends] of Object.entries(r.ends)) await generation.markCaughtUp(g, topic, [...ends.keys()]);
  replay = null;
  let staleKeys = 0;
  for (const lost of lostGenerations.splice(0)) staleKeys += await generation.purge(lost).catch(() => 0);
  logger.info({ generation: g.id, ms: Date.now() - r.since, staleKeys }, "this instance's partitions are replayed into the rebuilt match state (keys the lost generation left deleted)");
}

/** Before a chunk: the generation it runs in, refused while a loss is being handled. */
async function guardState(): Promise<{ g: Generation; st: MatchStage }> {
  if (recovering) throw new Error('match state being rebuilt: chunk left uncommitted, replayed once the new generation is adopted');
  const g = bound;
  const st = stage;
  await ensureIntact(g);
  return { g, st };
}

/**
 * After a chunk's state work, before publishing: had Redis lost the state meanwhile, the chunk
 * may have read an emptied state (a false NOT_IN_DTKS with a final-looking seq): nothing of it is
 * published or committed, and the rebuild replays it.
 */
async function ensureIntact(g: Generation): Promise<void> {
  const status = await generation.check();
  redisUnreachable = status === 'unreachable';
  if (status === 'intact' && g.marker === generation.current.marker) return;
  if (status === 'lost') onLoss();
  throw new Error(
    status === 'unreachable'
      ? 'Redis unreachable while checking the state generation: chunk left uncommitted, retried'
      : 'match state lost in Redis: chunk not published and left uncommitted; the rebuild replays it',
  );
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
  for (const period of await awaited.list()) {
    const progress = await archiveProgress(state, period);
    if (!progress.complete) out.set(period, `rows coming back from the raw archive: ${progress.seen} of ${progress.want} in; if this does not move, check ingest's log (a file missing under raw/?)`);
  }
  return out;
}

/**
 * Publishes what the stage produced (see publishMatchOutput: index changes, results stamped with
 * the generation's epoch, reevaluations, then the acknowledgement of held batches, then the rest
 * of a held backlog page by page), each publish after checking the state generation.
 */
async function publishOutput(g: Generation, stage: MatchStage, output: MatchOutput, chunkPeriods: readonly string[] = []): Promise<void> {
  const acknowledged = await publishMatchOutput(stage, output, bus, {
    epoch: g.epoch,
    beforePublish: async () => {
      await ensureIntact(g);
      // A period closed while the chunk ran: its evidence went under it (see reopenIfClosed).
      if (chunkPeriods.length > 0) await ensureNotClosed(state, chunkPeriods);
    },
    onResults: (batches) => {
      let published = 0;
      for (const b of batches) published += b.results.length;
      metrics.recordsOut.labels(TOPICS.results).inc(published);
    },
  });
  for (const period of acknowledged) statusDue.add(period);
}

// ------------------------------------------------------------------ status for report
/**
 * Periods whose held batches changed in this turn (a batch held, held batches released): their
 * status is published at the end of the turn, before a chunk's commit (see MatchStatus).
 */
const statusDue = new Set<string>();
/**
 * The status version: one counter for every instance, started from the Redis clock (µs) when
 * missing, so versions keep growing across a flush or an empty restart of Redis.
 */
const STATUS_VERSION_KEY = 'padan:match:status-version';
const NEXT_VERSION = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  local t = redis.call('TIME')
  redis.call('SET', KEYS[1], tonumber(t[1]) * 1000000 + tonumber(t[2]))
end
return redis.call('INCR', KEYS[1])`;

/**
 * Publishes the status of the periods due: for each, a version taken first, then whether the
 * state still holds batches of it. A status with a higher version therefore saw every hold and
 * release whose status has a lower one, whichever instance published it and whenever it arrives.
 */
async function publishStatus(g: Generation): Promise<void> {
  if (statusDue.size === 0) return;
  const out: { key: string; value: MatchStatus }[] = [];
  for (const period of [...statusDue].sort()) {
    const version = Number(await generationRedis.eval(NEXT_VERSION, 1, STATUS_VERSION_KEY));
    const held = (await state.peekHeld(period, 1)).length > 0 || (await awaited.has(period));
    out.push({ key: MESSAGE_KEYS.matchStatus(period), value: { v: 1, period, version, generation: g.id, held } });
  }
  await ensureIntact(g);
  await bus.publish(TOPICS.matchStatus, out);
  statusDue.clear();
}

// Chunk handlers and the poll timer take turns: a released page of held batches is published and
// acknowledged before another turn peeks the held batches again.
let turn: Promise<unknown> = Promise.resolve();
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = turn.then(fn);
  turn = run.catch(() => {});
  return run;
}

bus.subscribe<NormalizedBatch>(TOPICS.normalized, GROUP, (messages) => exclusive(() => handleNormalized(messages)));

async function handleNormalized(messages: readonly { value: NormalizedBatch }[]): Promise<void> {
  const { g, st: stage } = await guardState();
  const chunkPeriods = [...new Set(messages.map((m) => m.value.period))];
  await reopenIfClosed(g, chunkPeriods);
  partitions = await bus.partitions(TOPICS.normalized);
  // Batches of one chunk are independent (state updates are atomic per key in Redis), so they
  // run concurrently, bounded; the chunk is committed only once all their results are acknowledged.
  const outputs = await Promise.all(
    messages.map((m) =>
      limit(async () => {
        periods.add(m.value.period);
        metrics.recordsIn.labels(TOPICS.normalized).inc(m.value.records.length);
        const b = m.value;
        // Program rows in the evidence, for the completeness of a period coming back from the
        // archive (settleAwaited); sent beside the stage's own calls, not after them.
        const seen = b.source !== 'DTKS' && !b.reevaluate?.length && b.records.length > 0 ? state.markProgramRowsSeen(b.period, programFileName(b.source, b.file), b.records.map((r) => r.row)) : null;
        const [out] = await Promise.all([stage.onNormalized(b), seen]);
        if (out.results.length === 0 && b.records.length > 0 && b.source !== 'DTKS' && !b.reevaluate?.length) {
          held.set(b.period, (held.get(b.period) ?? 0) + 1);
          statusDue.add(b.period);
        }
        return out;
      }),
    ),
  );
  await publishOutput(g, stage, mergeMatchOutputs(outputs), chunkPeriods);
  await publishStatus(g);
}

bus.subscribe<FileCompleted>(TOPICS.files, GROUP, (messages) =>
  exclusive(async () => {
    const { g, st: stage } = await guardState();
    const chunkPeriods = [...new Set(messages.map((m) => m.value.period))];
    await reopenIfClosed(g, chunkPeriods);
    for (const m of messages) {
      periods.add(m.value.period);
      if (m.value.source !== 'DTKS') await state.setProgramExpected(m.value.period, programFileName(m.value.source, m.value.file), m.value.rowsEmitted);
      await publishOutput(g, stage, await stage.onFileCompleted(m.value), chunkPeriods);
    }
    await publishStatus(g);
  }),
);

const http = await startHttpServer(config.HTTP_PORT, metrics.registry, {
  live: () => true,
  ready: () => {
    // Asked from the start on, before a generation is adopted (Redis or Kafka still unreachable).
    const adopted = bound as Generation | undefined;
    const rebuilding = adopted !== undefined && (recovering !== null || replay !== null || !replayOpen);
    const details = [
      ...(adopted === undefined ? ['state generation not adopted yet (Redis or Kafka unreachable at start): retrying'] : []),
      ...(rebuilding ? [`match state being rebuilt after Redis lost it: replaying the input topics into generation ${adopted.id}`] : []),
      ...(redisUnreachable ? ['Redis unreachable: retrying'] : []),
      ...stalls.details(),
    ];
    return { ready: running && adopted !== undefined && !rebuilding && !redisUnreachable, details };
  },
});
// Adopted before consuming: a restarted match on an emptied Redis starts a rebuild generation,
// whose partitions are rewound as the group assigns them (onAssigned below).
for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
  try {
    const g = await generation.start(() => bus.hasCommittedOffsets(GROUP, [...INPUTS]));
    useGeneration(g);
    if (g.kind === 'rebuild') rebuildingGauge.set(1);
    break;
  } catch (e) {
    logger.warn({ err: (e as Error).message, retryInMs: wait }, 'cannot check the state generation at start (Redis or Kafka unreachable); retrying');
    await new Promise((r) => setTimeout(r, wait));
  }
}
// After every rebalance: partitions that moved here and were not replayed into the generation yet
// (their previous owner died or moved them before it noticed the loss) are replayed here.
bus.onAssigned(GROUP, (a) => {
  exclusive(async () => {
    const g = bound;
    const joining = replay === null;
    const rewound = await rewindUnmarked(g, a);
    if (rewound > 0) {
      // At start on an emptied Redis, or a partition moved here unreplayed: this instance joins a rebuild.
      if (joining) rebuildsTotal.inc();
      rebuildingGauge.set(1);
      logger.warn({ marker: GENERATION_KEY, generation: g.id, partitions: rewound, group: GROUP }, 'partitions not yet replayed into the rebuilt match state: replaying them from their earliest offsets');
    }
  }).catch((e: Error) => logger.warn({ err: e.message }, 'rewinding newly assigned partitions failed; the next rebalance or state check retries'));
});
await bus.run();
running = true;
logger.info({ httpPort: http.port, rules: rules.version, generation: generation.current.id }, 'match consuming');

// Safety net for held program batches: if the event that completed a release reached another
// instance at the wrong moment, the next tick reconciles them.
let polling = false;
const pollTimer = setInterval(() => {
  if (polling || !running || recovering) return;
  polling = true;
  exclusive(async () => {
    const { g } = await guardState();
    const st = releaseStage;
    for (const period of periods) await publishOutput(g, st, await st.poll(period));
    await settleAwaited(g);
    await publishStatus(g);
  })
    .catch((e: Error) => logger.warn({ err: e.message }, 'poll failed; retrying on the next tick'))
    .finally(() => (polling = false));
}, 3000);
pollTimer.unref();
const stopLag = startLagReporter((g) => bus.lag(g), GROUP, metrics);

// Between chunks too: an idle match finds a lost state on its own, and sees its replay end.
let watching = false;
const watchTimer = setInterval(() => {
  if (watching || !running || recovering) return;
  watching = true;
  (async () => {
    const status = await generation.check();
    redisUnreachable = status === 'unreachable';
    if (status === 'lost') return onLoss();
    if (status !== 'intact') return;
    await checkReplay();
    // While a rebuild holds program batches on purpose, a held period is not stalled.
    if (replayOpen) stalls.update(await pendingPeriods());
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
  await stateRedis.quit().catch(() => {});
  await generationRedis.quit().catch(() => {});
  await http.close();
});
