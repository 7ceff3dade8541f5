import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CONSUMER_GROUPS, isRejectedMessage, rejectedMessageKey, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { DeadLetter, FileCompleted, IngestProgress, MatchResult, MatchStatus, RejectedMessage, RejectedRow, ResultBatch, SnapshotAnnouncement, SnapshotRequest } from '@padan/contracts';
import { KafkaBus, kafkaConnectionOf } from '@padan/kafka';
import { S3ObjectStore, s3OptionsOf } from '@padan/s3';
import { busHooks, commonEnv, createLogger, loadConfig, loadRules, onShutdown, s3Env, StageMetrics, StallWatch, stallEnv, startHttpServer, startLagReporter } from '@padan/service-kit';
import { DEFAULT_SPILL_ROWS, MatchStatusView, parseDailyAt, regencyName, ReportService } from '@padan/pipeline';

/** The report service: materializes results and writes snapshots to S3, daily and on demand. */
const config = loadConfig(
  z.object({
    ...commonEnv,
    ...s3Env,
    ...stallEnv,
    PADAN_HASH_KEY: z.string({ error: 'required: the secret key of the NIK HMAC in mismatch events' }).min(16, 'must be at least 16 characters'),
    REPORT_DAILY_AT: z
      .string()
      .default('23:00')
      .refine((v) => {
        try {
          parseDailyAt(v);
          return true;
        } catch {
          return false;
        }
      }, 'must be HH:MM (24-hour, Asia/Jakarta)'),
    PADAN_RULES_FILE: z.string().optional(),
    REPORT_TICK_MS: z.coerce.number().int().min(50).default(1000),
    REPORT_WORK_DIR: z.string().min(1).default(join(tmpdir(), 'padan-report')),
    REPORT_SPILL_ROWS: z.coerce.number().int().min(1000).default(DEFAULT_SPILL_ROWS),
    REPORT_SETTLE_MS: z.coerce.number().int().min(0).default(6_000),
  }),
);
const logger = createLogger('report', config.LOG_LEVEL);
const metrics = new StageMetrics('report');
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const rules = loadRules(config.PADAN_RULES_FILE);

const store = new S3ObjectStore(s3OptionsOf(config));
const bus = new KafkaBus({
  ...kafkaConnectionOf(config, 'padan-report'),
  contracts: TOPIC_CONTRACTS,
  fromBeginning: true,
  // report keeps little per row, so its peak heap is the garbage of decoding fetched results: while
  // rebuilding its view at full speed, 16 MiB fetches (the bus default) peaked at 449 MB RSS on
  // 491 k results, 4 MiB fetches at 327 MB, the view loading about 15 % slower.
  consumer: { maxBytes: 4 * 1024 * 1024, maxBytesPerPartition: 1024 * 1024 },
  ...busHooks(logger, metrics),
});
const service = new ReportService({
  store,
  publish: (topic, messages) => bus.publish(topic, messages),
  hashKey: config.PADAN_HASH_KEY,
  dailyAt: config.REPORT_DAILY_AT,
  clock: () => new Date(),
  rules: { version: rules.rules.version, sha256: rules.sha256 },
  regencyName,
  padanVersion: version,
  onSnapshot: (a) => logger.info({ period: a.period, date: a.date, prefix: a.prefix, objects: a.objects.length, requestId: a.requestId }, 'snapshot written'),
  onSnapshotFailed: (f) =>
    logger.error(
      { period: f.period, date: f.date, requestId: f.requestId, attempt: f.attempt, retryInMs: f.retryInMs, err: f.error },
      'snapshot write failed: its manifest is removed and the write retried with backoff; check S3 (S3_ENDPOINT, S3_BUCKET)',
    ),
  discard: (keys) => store.delete(keys),
  viewLoaded: () => viewLoaded,
  settled: (period) => pipelineSettled(period),
  spill: { workDir: config.REPORT_WORK_DIR, spillRows: config.REPORT_SPILL_ROWS },
});
// Created now, not at the first result: leftovers of a crashed instance (personal data) go at start.
await service.stage.workDir();

// The view is rebuilt at every start, whatever PADAN_INSTANCE_ID: a group new to this process reads
// the compacted topics from the beginning (a stable group would resume from its committed offsets
// with an empty view and never complete a period). The same group rereads the snapshot requests and
// announcements, so a request not answered before a restart is answered after it. The group is
// deleted on a graceful stop; the broker expires those of killed processes.
const VIEW_GROUP = `padan-report-view-${randomUUID()}`;
/** Where each file's first result is (period/source/file → topic, partition, offset): a stray file's dead letter points there. */
const firstResultAt = new Map<string, { topic: string; partition: number; offset: string }>();
// Batches of results; the view keeps the highest seq per record, across batches and topics.
bus.subscribe<ResultBatch>(TOPICS.results, VIEW_GROUP, async (m) => {
  for (const x of m) {
    const id = `${x.value.period}/${x.value.source}/${x.value.file}`;
    if (!firstResultAt.has(id)) firstResultAt.set(id, { topic: TOPICS.results, partition: x.partition, offset: x.offset });
  }
  metrics.recordsIn.labels(TOPICS.results).inc(await service.onResultBatches(m.map((x) => x.value)));
});
// The per-record results of before the upgrade to batches (README, "Upgrading a running
// deployment"): read too, so that periods published before the upgrade stay in the view.
bus.subscribe<MatchResult>(TOPICS.resultsV1, VIEW_GROUP, async (m) => {
  metrics.recordsIn.labels(TOPICS.resultsV1).inc(m.length);
  for (const x of m) {
    const id = `${x.value.period}/${x.value.source}/${x.value.file}`;
    if (!firstResultAt.has(id)) firstResultAt.set(id, { topic: TOPICS.resultsV1, partition: x.partition, offset: x.offset });
  }
  await service.onResults(m.map((x) => x.value));
});
bus.subscribe<DeadLetter>(TOPICS.rejected, VIEW_GROUP, async (m) => {
  const rows: RejectedRow[] = [];
  for (const x of m) {
    metrics.rejects.labels(x.value.reason).inc();
    // A message that failed its contract is no row of an announced file: it stays listed on the
    // topic and never enters a period's accounting (it would hold the period open for good).
    if (!isRejectedMessage(x.value)) rows.push(x.value);
  }
  await service.onRejected(rows);
});
bus.subscribe<FileCompleted>(TOPICS.files, VIEW_GROUP, async (m) => service.onFileCompleted(m.map((x) => x.value)));
bus.subscribe<IngestProgress>(TOPICS.ingestProgress, VIEW_GROUP, async (m) => service.onProgress(m.map((x) => x.value)));
bus.subscribe<SnapshotRequest>(TOPICS.snapshotRequests, VIEW_GROUP, async (m) => {
  for (const x of m) service.onRequest(x.value);
});
const matchStatus = new MatchStatusView();
bus.subscribe<MatchStatus>(TOPICS.matchStatus, VIEW_GROUP, async (m) => {
  for (const x of m) matchStatus.onStatus(x.value);
});
bus.subscribe<SnapshotAnnouncement>(TOPICS.snapshots, VIEW_GROUP, async (m) => {
  for (const x of m) service.onAnnouncement(x.value);
});

// No snapshot before the view has read what was published before this start: a request read
// before its announcement would be answered twice, and a file's first results before their
// re-emissions would make a stale snapshot. These topics carry no transaction markers, so their end
// offsets are where the last message before the start ends.
const LOADED_FROM = [TOPICS.results, TOPICS.resultsV1, TOPICS.snapshotRequests, TOPICS.snapshots];
const loadedAt = await bus.endOffsets(LOADED_FROM);
let viewLoaded = false;

/** The results topic's end offsets when last seen, and since when they have not moved. */
let resultsEnds = '';
let resultsQuietSince = 0;

/**
 * Whether the pipeline has settled for a snapshot of `period`, checked in this order: match has
 * consumed every message published to its input until now (its committed offsets reach the end
 * offsets; match publishes a chunk's results, re-evaluations and, when it held a batch, its status
 * before it commits the chunk); the view has read every match status published until then, and
 * the latest one of the period holds nothing (held program batches are consumed and committed
 * already, reconciled once the period's DTKS release is complete or a rebuild's replay caught up;
 * match publishes a status after releasing them, once their results are published); no result has
 * been published for REPORT_SETTLE_MS; and the view has read every result published until then.
 * Every row having a result is not enough: a record re-emitted because of another record's
 * evidence may still be one hop behind.
 *
 * The quiet period stays as a second guard, for what no offset or status shows yet: a release
 * claim that expired while its holder was still publishing (match's RedisReleaseClaim, 60 s), a
 * chunk of a lost generation still in flight. The Redis-restart test passes without it
 * (REPORT_SETTLE_MS=0); it costs its length once per snapshot.
 */
async function pipelineSettled(period: string): Promise<boolean> {
  // padan.normalized.v1 only: padan.files.v1 is written in ingest's transactions, whose end offsets
  // count a commit marker no consumer commits past; a file announcement match has not read leaves
  // rows unaccounted for anyway.
  if (!(await bus.reached(CONSUMER_GROUPS.match, await bus.endOffsets([TOPICS.normalized])))) return false;
  if (!(await bus.reached(VIEW_GROUP, await bus.endOffsets([TOPICS.matchStatus])))) return false;
  if (matchStatus.holds(period)) return false;
  const ends = await bus.endOffsets([TOPICS.results]);
  const now = Date.now();
  const seen = JSON.stringify([...(ends[TOPICS.results] ?? new Map()).entries()].map(([p, o]) => [p, o.high]));
  if (seen !== resultsEnds) {
    resultsEnds = seen;
    resultsQuietSince = now;
  }
  if (now - resultsQuietSince < config.REPORT_SETTLE_MS) return false;
  return bus.reached(VIEW_GROUP, ends);
}

const stalls = new StallWatch(
  config.PADAN_STALL_AFTER_SECONDS * 1000,
  metrics.stalled,
  logger,
  'files announced by ingest are not accounted for (rows read = clean + flagged + rejected): check that normalize and match are consuming and ready (match /readyz)',
);
const strayFiles = metrics.counter('padan_stray_files_total', 'Files with results or dead letters that ingest never announced: not counted, left out of snapshots');
const straysLogged = new Set<string>();
// A file's results can be read a moment before its first progress record (different topics):
// it counts as a stray once unannounced for this long.
const STRAY_AFTER_MS = Math.min(config.PADAN_STALL_AFTER_SECONDS * 1000, 60_000);
const straySince = new Map<string, number>();

/** A stray file is dead-lettered too, once, where its first result is: operators find it with `padan dlq inspect --topic`. */
function deadLetterStray(period: string, s: { program: string; file: string; rows: number }, at: { topic: string; partition: number; offset: string }): void {
  const value: RejectedMessage = {
    v: 1,
    kind: 'message',
    topic: at.topic,
    partition: at.partition,
    offset: at.offset,
    reason: 'MESSAGE_STRAY_FILE',
    message: `${s.rows} results of ${s.program}/${s.file}, a file ingest never announced: left out of completeness and snapshots`,
    excerpt: '',
    period,
  };
  bus
    .publish(TOPICS.rejected, [{ key: rejectedMessageKey(value), value }])
    .catch((e: Error) => logger.warn({ period, err: e.message }, 'could not dead-letter a stray file; it stays logged and counted'));
}

/** Periods waiting for announced files, and files no one announced (logged once each). */
function watchPeriods(): void {
  const pending = new Map<string, string>();
  for (const period of service.stage.store.periods()) {
    for (const s of service.stage.strays(period)) {
      const id = `${period}/${s.program}/${s.file}`;
      if (straysLogged.has(id)) continue;
      const since = straySince.get(id) ?? Date.now();
      straySince.set(id, since);
      if (Date.now() - since < STRAY_AFTER_MS) continue;
      straysLogged.add(id);
      straySince.delete(id);
      strayFiles.inc();
      deadLetterStray(period, s, firstResultAt.get(id) ?? { topic: TOPICS.results, partition: 0, offset: '0' });
      logger.warn(
        { period, source: s.program, file: s.file, rows: s.rows },
        'results for a file ingest never announced (a stray message): not counted for completeness and left out of snapshots; find who published it',
      );
    }
    const status = service.stage.status(period);
    if (status.complete || status.files.length === 0) continue;
    const missing = status.files.filter((f) => !f.accounted);
    const shown = missing.slice(0, 5).map((f) => `${f.program}/${f.file} (${f.clean + f.flagged + f.rejected} of ${f.rowsRead ?? 'unknown'} rows)`);
    const dtks = status.files.some((f) => f.program === 'DTKS') ? '' : 'no DTKS release announced; ';
    pending.set(period, `${dtks}${missing.length} files not accounted for: ${shown.join(', ')}${missing.length > 5 ? ', …' : ''}`);
  }
  stalls.update(pending);
}

let running = false;
const http = await startHttpServer(config.HTTP_PORT, metrics.registry, {
  live: () => true,
  ready: () => ({
    ready: running,
    details: [...(viewLoaded ? [] : ['view loading: reading the compacted topics from the beginning']), ...(service.pendingRequests > 0 ? [`${service.pendingRequests} snapshot requests waiting`] : []), ...stalls.details()],
  }),
});
await bus.run();
running = true;
logger.info({ httpPort: http.port, nextDaily: service.nextDailyAt?.toISOString(), viewGroup: VIEW_GROUP }, 'report consuming');

const stopLag = startLagReporter((g) => bus.lag(g), VIEW_GROUP, metrics);
let watching = false;
const watchTimer = setInterval(() => {
  if (watching) return;
  watching = true;
  (async () => {
    if (!viewLoaded && (await bus.reached(VIEW_GROUP, loadedAt))) {
      viewLoaded = true;
      logger.info({ periods: service.stage.store.periods().length }, 'view loaded');
    }
    if (viewLoaded) watchPeriods();
  })()
    .catch((e: Error) => logger.warn({ err: e.message }, 'view watch failed; retrying'))
    .finally(() => (watching = false));
}, 1000);
watchTimer.unref();

let ticking = false;
const timer = setInterval(() => {
  if (ticking) return;
  ticking = true;
  service
    .tick()
    .catch((e: Error) => logger.error({ err: e.message }, 'report tick failed; retrying'))
    .finally(() => (ticking = false));
}, config.REPORT_TICK_MS);
timer.unref();

onShutdown(logger, async () => {
  running = false;
  clearInterval(timer);
  clearInterval(watchTimer);
  stopLag();
  await bus.close();
  await bus.deleteGroups([VIEW_GROUP]);
  await service.close();
  await http.close();
});
