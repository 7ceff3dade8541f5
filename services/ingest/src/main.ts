import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { maskPersonalData, MESSAGE_KEYS, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { FileCompleted, IngestProgress, RawBatch, RejectedRow } from '@padan/contracts';
import { inputChecksum, InputError, readerLimitsFromEnv } from '@padan/io';
import { KafkaBus, kafkaConnectionOf } from '@padan/kafka';
import { S3ObjectStore, s3OptionsOf } from '@padan/s3';
import { busHooks, commonEnv, createLogger, loadConfig, loadMapping, onShutdown, s3Env, StageMetrics, startHttpServer } from '@padan/service-kit';
import { doneKey, FinishedObjects, ingestFile, LANDING_PREFIX, parseLandingKey, rawArchiveKey, runIdOf } from '@padan/pipeline';
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
