import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CONSUMER_GROUPS, maskPersonalData, MESSAGE_KEYS, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { ArchiveReplayRequest, FileCompleted, IngestProgress, RawBatch, RejectedRow } from '@padan/contracts';
import { inputChecksum, InputError, readerLimitsFromEnv } from '@padan/io';
import { KafkaBus, kafkaConnectionOf } from '@padan/kafka';
import { S3ObjectStore, s3OptionsOf } from '@padan/s3';
import { busHooks, commonEnv, createLogger, loadConfig, loadMapping, onShutdown, s3Env, StageMetrics, startHttpServer } from '@padan/service-kit';
import { doneKey, filesToReplay, FinishedObjects, ingestFile, LANDING_PREFIX, missingFromArchive, parseLandingKey, rawArchiveKey, rawArchivePrefix, runIdOf } from '@padan/pipeline';
import type { LandingObject } from '@padan/pipeline';

/**
 * The ingest service: watches the landing prefix, archives each new file under raw/ with its
 * checksum, and streams its rows into the raw topic, once. Progress is recorded after every
 * acknowledged batch, so a restart resumes after the last published row.
 */
const config = loadConfig(
  z.object({
    ...commonEnv,
    ...s3Env,
    INGEST_POLL_MS: z.coerce.number().int().min(100).default(2000),
    INGEST_BATCH_ROWS: z.coerce.number().int().min(1).max(20000).default(2000),
    PADAN_MAPPING_FILE: z.string().optional(),
  }),
);
const readerLimits = readerLimitsFromEnv(process.env);
const logger = createLogger('ingest', config.LOG_LEVEL);
const metrics = new StageMetrics('ingest');
const store = new S3ObjectStore(s3OptionsOf(config));
const mapping = loadMapping(config.PADAN_MAPPING_FILE);
const bus = new KafkaBus({ ...kafkaConnectionOf(config, 'padan-ingest'), contracts: TOPIC_CONTRACTS, ...busHooks(logger, metrics) });
await bus.connect();

let stopping = false;
let busy: Promise<void> = Promise.resolve();

// One transactional id per ingest instance: a restarted instance fences its killed predecessor,
// whose open transaction (rows not yet covered by committed progress) is aborted, never read.
const TX_ID = `padan-ingest-${config.PADAN_INSTANCE_ID ?? 'main'}`;
await bus.initTransactions(TX_ID);
const progress = new Map<string, IngestProgress>();
for (const m of await bus.readTopic<IngestProgress>(TOPICS.ingestProgress)) progress.set(m.value.key, m.value);
logger.info({ objects: progress.size }, 'ingest progress loaded');
const replacedUploads = metrics.counter('padan_ingest_replaced_uploads_total', 'Different files uploaded under a landing name already ingested: not ingested, logged');
const finished = new FinishedObjects(store, logger, () => replacedUploads.inc());

async function ingestObject(o: LandingObject): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'padan-ingest-'));
  try {
    const local = join(dir, o.file);
    await store.getFile(o.key, local);
    const checksum = await inputChecksum(local);
    const { sha256 } = checksum;
    await store.putFile(rawArchiveKey(o, sha256), local);
    const before = progress.get(o.key);
    const resumeAfterRow = before && before.sha256 === sha256 ? before.lastRow : 0;
    if (resumeAfterRow > 0) logger.info({ key: o.key, resumeAfterRow }, 'resuming a file after a restart');
    const record = (lastRow: number, completed: FileCompleted | null) => {
      const value: IngestProgress = { v: 1, key: o.key, sha256, lastRow, completed };
      return { topic: TOPICS.ingestProgress, messages: [{ key: o.key, value }] };
    };
    const fc = await ingestFile(
      { path: local, period: o.period, source: o.source, runId: runIdOf(o.period, [{ source: o.source, sha256 }]), fileName: o.file, mapping: mapping[o.source] ?? {}, checksum },
      {
        // Rows, their dead letters and the progress that covers them go in one transaction.
        batch: async (raw: RawBatch | null, rejected: readonly RejectedRow[], lastRow: number) => {
          await bus.publishTransaction(TX_ID, [
            { topic: TOPICS.raw, messages: raw ? [{ key: MESSAGE_KEYS.rawBatch(raw, raw.rows[0]?.[0] ?? 0), value: raw }] : [] },
            { topic: TOPICS.rejected, messages: rejected.map((r) => ({ key: MESSAGE_KEYS.rejectedRow(r), value: r })) },
            record(lastRow, null),
          ]);
          progress.set(o.key, { v: 1, key: o.key, sha256, lastRow, completed: null });
          if (raw) metrics.recordsOut.labels(TOPICS.raw).inc(raw.rows.length);
          for (const r of rejected) metrics.rejects.labels(r.reason).inc();
          if (stopping) throw new StopRequested();
        },
        completed: async (fc: FileCompleted) => {
          await bus.publishTransaction(TX_ID, [{ topic: TOPICS.files, messages: [{ key: MESSAGE_KEYS.file(fc), value: fc }] }, record(Number.MAX_SAFE_INTEGER, fc)]);
          progress.set(o.key, { v: 1, key: o.key, sha256, lastRow: Number.MAX_SAFE_INTEGER, completed: fc });
        },
      },
      { batchSize: config.INGEST_BATCH_ROWS, resumeAfterRow, limits: readerLimits, tempDir: dir },
    );
    // A marker for operators browsing the bucket; the committed progress is what ingest trusts, so
    // a marker that cannot be written now is rewritten on a later poll.
    await finished.writeMarker(o, fc).catch((e: Error) => logger.error({ key: o.key, err: e.message }, 'ingest/done marker not written; retrying on the next poll'));
    logger.info({ key: o.key, rowsRead: fc.rowsRead, rowsRejected: fc.rowsRejected }, 'file ingested');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

class StopRequested extends Error {}

async function poll(): Promise<void> {
  const objects = await store.listWithETags(LANDING_PREFIX);
  for (const obj of objects) {
    if (stopping) return;
    const o = parseLandingKey(obj.key);
    if (!o) {
      logger.warn({ key: obj.key }, 'not a landing key (landing/period=YYYY-MM/source=PKH|SEMBAKO|BST|PBI|DTKS/<file>): ignored');
      continue;
    }
    const done = progress.get(o.key);
    if (done?.completed) {
      await finished.check(o, done.completed, done.sha256, obj.etag).catch((e: Error) => logger.warn({ key: o.key, err: e.message }, 'checking a finished landing object failed; retrying on the next poll'));
      continue;
    }
    if (await store.exists(doneKey(o))) continue;
    try {
      await ingestObject(o);
    } catch (e) {
      if (e instanceof StopRequested) return;
      // An unusable file must not stop the service: record why, mark it done, go on.
      if (e instanceof InputError) {
        logger.error({ key: o.key, rule: e.rule, row: e.row }, e.message);
        // Operators read markers: mask like a log line, in case a message ever quotes a cell.
        await store.put(doneKey(o), JSON.stringify({ error: maskPersonalData(e.message) }));
        continue;
      }
      throw e;
    }
  }
}

// ------------------------------------------------------------------ archive replay (match asks)
const replayedFiles = metrics.counter(
  'padan_ingest_archive_replayed_files_total',
  "Archived files published again into padan.raw.v1 because match rebuilt its state past the input topics' retention or reopened a closed period",
);

/**
 * Publishes every file of the period that ingest completed into padan.raw.v1 again, from its
 * original under raw/, with its original lineage (period, source, file, run id, rows): normalize
 * and match take the rows as if they were still retained, and match's state counts a row it
 * already holds once. Only the rows: the files' announcements are on the compacted padan.files.v1
 * already, and dead letters stay on padan.rejected.v1 (report keeps them).
 */
async function replayArchived(req: ArchiveReplayRequest): Promise<void> {
  const objects = await store.list(rawArchivePrefix(req.period));
  const todo = filesToReplay(
    objects.map((o) => o.key),
    req.period,
    (k) => progress.get(k)?.completed ?? null,
  );
  const missing = missingFromArchive(progress.values(), req.period, todo);
  if (missing.length > 0) {
    logger.error(
      { period: req.period, objects: missing.length, key: missing[0] },
      'files ingest completed for the period are not in the raw archive (raw/ expired or deleted?): the rebuilt period stays incomplete; restore their originals under raw/ and ask again (a new match state generation does), or run the period with padan run',
    );
  }
  logger.warn(
    { period: req.period, generation: req.generation, reason: req.reason, objects: todo.length },
    req.reason === 'PERIOD_REOPENED'
      ? "match reopened a closed period (a record of it arrived after padan period close): publishing its archived files into padan.raw.v1 again"
      : "match is rebuilding its state and the period's input is past the topics' retention: publishing its archived files into padan.raw.v1 again",
  );
  for (const { archived, completed } of todo) {
    const dir = await mkdtemp(join(tmpdir(), 'padan-replay-'));
    try {
      const local = join(dir, archived.file);
      await store.getFile(archived.key, local);
      const checksum = await inputChecksum(local);
      if (checksum.sha256 !== archived.sha256) {
        logger.error({ key: archived.key, period: req.period }, 'an archived file does not match the checksum in its key: not published again; restore the original under raw/ and ingest the period again');
        continue;
      }
      let rows = 0;
      const fc = await ingestFile(
        { path: local, period: completed.period, source: completed.source, runId: completed.runId, fileName: completed.file, mapping: mapping[completed.source] ?? {}, checksum },
        {
          batch: async (raw: RawBatch | null) => {
            if (!raw) return;
            await bus.publishTransaction(TX_ID, [{ topic: TOPICS.raw, messages: [{ key: MESSAGE_KEYS.rawBatch(raw, raw.rows[0]?.[0] ?? 0), value: raw }] }]);
            rows += raw.rows.length;
            metrics.recordsOut.labels(TOPICS.raw).inc(raw.rows.length);
            if (stopping) throw new StopRequested();
          },
          completed: async () => {},
        },
        { batchSize: config.INGEST_BATCH_ROWS, limits: readerLimits, tempDir: dir },
      );
      // Another mapping than the first time would give other rows: said, since results may differ.
      if (fc.rowsEmitted !== completed.rowsEmitted || fc.rowsRejected !== completed.rowsRejected) {
        logger.error(
          { key: archived.key, rows: fc.rowsEmitted, rowsRejected: fc.rowsRejected },
          'an archived file read again gives other row counts than when it was ingested (PADAN_MAPPING_FILE or the reader limits changed?): its rows are published, but the period may not be accounted for; restore the settings and ingest the period again',
        );
      }
      replayedFiles.inc();
      logger.info({ key: archived.key, period: req.period, source: completed.source, rows }, 'archived file published again');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Runs `fn` after the poll or replay in progress: one transactional producer, one transaction at a time. */
function serially(fn: () => Promise<void>): Promise<void> {
  const run = busy.then(fn);
  busy = run.catch((e: Error) => logger.error({ err: e.message }, 'ingest work failed; retried'));
  return run;
}

// A request is committed once its files are published: an ingest stopped halfway publishes them
// again at its next start (the rows count once downstream).
bus.subscribe<ArchiveReplayRequest>(TOPICS.archiveReplayRequests, CONSUMER_GROUPS.ingestArchiveReplay, async (messages) => {
  for (const m of messages) await serially(() => replayArchived(m.value));
});
await bus.run();

let running = false;
const http = await startHttpServer(config.HTTP_PORT, metrics.registry, { live: () => true, ready: () => running });
running = true;
logger.info({ httpPort: http.port, pollMs: config.INGEST_POLL_MS }, 'ingest watching landing/');
const timer = setInterval(() => {
  busy = busy.then(poll).catch((e: Error) => logger.error({ err: e.message }, 'ingest poll failed; retrying on the next tick'));
}, config.INGEST_POLL_MS);

onShutdown(logger, async () => {
  stopping = true;
  running = false;
  clearInterval(timer);
  await busy;
  await bus.close();
  await http.close();
});
