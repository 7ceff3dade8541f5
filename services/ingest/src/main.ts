import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { FileCompleted, RawBatch, RejectedRow } from '@padan/contracts';
import { inputChecksum, InputError } from '@padan/io';
import { KafkaBus, kafkaConnectionFromEnv } from '@padan/kafka';
import { S3ObjectStore } from '@padan/s3';
import { busHooks, commonEnv, createLogger, loadConfig, loadMapping, onShutdown, s3Env, StageMetrics, startHttpServer } from '@padan/service-kit';
import { ingestFile } from './ingest-file.js';
import { doneKey, LANDING_PREFIX, parseLandingKey, progressKey, rawArchiveKey } from './landing-key.js';
import type { LandingObject } from './landing-key.js';
import { runIdOf } from './run-id.js';

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
const logger = createLogger('ingest', config.LOG_LEVEL);
const metrics = new StageMetrics('ingest');
const store = S3ObjectStore.fromEnv(process.env);
const mapping = loadMapping(config.PADAN_MAPPING_FILE);
const bus = new KafkaBus({ ...kafkaConnectionFromEnv(process.env, config.KAFKA_CLIENT_ID ?? 'padan-ingest'), contracts: TOPIC_CONTRACTS, ...busHooks(logger, metrics) });
await bus.connect();

let stopping = false;
let busy: Promise<void> = Promise.resolve();

async function readJson<T>(key: string): Promise<T | null> {
  if (!(await store.exists(key))) return null;
  return JSON.parse((await store.get(key)).toString('utf8')) as T;
}

async function ingestObject(o: LandingObject): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'padan-ingest-'));
  try {
    const local = join(dir, o.file);
    await store.getFile(o.key, local);
    const { sha256 } = await inputChecksum(local);
    await store.putFile(rawArchiveKey(o, sha256), local);
    const progress = await readJson<{ sha256: string; lastRow: number }>(progressKey(o));
    const resumeAfterRow = progress && progress.sha256 === sha256 ? progress.lastRow : 0;
    if (resumeAfterRow > 0) logger.info({ key: o.key, resumeAfterRow }, 'resuming a file after a restart');
    const fc = await ingestFile(
      { path: local, period: o.period, source: o.source, runId: runIdOf(o.period, [{ source: o.source, sha256 }]), fileName: o.file, mapping: mapping[o.source] ?? {} },
      {
        raw: async (batch: RawBatch) => {
          await bus.publish(TOPICS.raw, [{ key: `${batch.source}/${batch.file}#${batch.rows[0]?.[0] ?? 0}`, value: batch }]);
          metrics.recordsOut.labels(TOPICS.raw).inc(batch.rows.length);
          const lastRow = batch.rows[batch.rows.length - 1]?.[0] ?? 0;
          await store.put(progressKey(o), JSON.stringify({ sha256, lastRow }));
          if (stopping) throw new StopRequested();
        },
        rejected: async (rows: readonly RejectedRow[]) => {
          await bus.publish(TOPICS.rejected, rows.map((r) => ({ key: `${r.period}/${r.source}/${r.file}#${r.row}`, value: r })));
          for (const r of rows) metrics.rejects.labels(r.reason).inc();
        },
        completed: async (fc: FileCompleted) => {
          await bus.publish(TOPICS.files, [{ key: `${fc.period}/${fc.source}/${fc.file}`, value: fc }]);
        },
      },
      { batchSize: config.INGEST_BATCH_ROWS, resumeAfterRow },
    );
    await store.put(doneKey(o), JSON.stringify(fc));
    logger.info({ key: o.key, rowsRead: fc.rowsRead, rowsRejected: fc.rowsRejected }, 'file ingested');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

class StopRequested extends Error {}

async function poll(): Promise<void> {
  const objects = await store.list(LANDING_PREFIX);
  for (const obj of objects) {
    if (stopping) return;
    const o = parseLandingKey(obj.key);
    if (!o) {
      logger.warn({ key: obj.key }, 'not a landing key (landing/period=YYYY-MM/source=PKH|SEMBAKO|BST|PBI|DTKS/<file>): ignored');
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
        await store.put(doneKey(o), JSON.stringify({ error: e.message }));
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
