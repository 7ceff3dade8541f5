import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isRejectedMessage, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { DeadLetter, FileCompleted, MatchResult, RejectedRow, SnapshotRequest } from '@padan/contracts';
import { KafkaBus, kafkaConnectionFromEnv } from '@padan/kafka';
import { S3ObjectStore } from '@padan/s3';
import { busHooks, commonEnv, createLogger, loadConfig, loadRules, onShutdown, s3Env, StageMetrics, startHttpServer, startLagReporter } from '@padan/service-kit';
import { currentRegions, retiredRegions } from '@padan/wilayah';
import { parseDailyAt } from './daily-schedule.js';
import { ReportService } from './report-service.js';

/** The report service: materializes results and writes snapshots to S3, daily and on demand. */
const config = loadConfig(
  z.object({
    ...commonEnv,
    ...s3Env,
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
  }),
);
const logger = createLogger('report', config.LOG_LEVEL);
const metrics = new StageMetrics('report');
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const rules = loadRules(config.PADAN_RULES_FILE);
const names = new Map<string, string>();
for (const r of [...retiredRegions(), ...currentRegions()]) if (r.code.length === 5) names.set(r.code.replace('.', ''), r.name);

const store = S3ObjectStore.fromEnv(process.env);
const bus = new KafkaBus({
  ...kafkaConnectionFromEnv(process.env, config.KAFKA_CLIENT_ID ?? 'padan-report'),
  contracts: TOPIC_CONTRACTS,
  fromBeginning: true,
  ...busHooks(logger, metrics),
});
const service = new ReportService({
  store,
  publish: (topic, messages) => bus.publish(topic, messages),
  hashKey: config.PADAN_HASH_KEY,
  dailyAt: config.REPORT_DAILY_AT,
  clock: () => new Date(),
  rules: { version: rules.rules.version, sha256: rules.sha256 },
  regencyName: (c) => names.get(c),
  padanVersion: version,
  onSnapshot: (a) => logger.info({ period: a.period, date: a.date, prefix: a.prefix, objects: a.objects.length }, 'snapshot written'),
});

// The view is rebuilt from the compacted topics at every start: a fresh group reads them from the
// beginning. Snapshot requests use a stable group, so an answered request is not answered again.
const VIEW_GROUP = `padan-report-view-${config.PADAN_INSTANCE_ID ?? randomUUID()}`;
bus.subscribe<MatchResult>(TOPICS.results, VIEW_GROUP, async (m) => {
  metrics.recordsIn.labels(TOPICS.results).inc(m.length);
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
bus.subscribe<SnapshotRequest>(TOPICS.snapshotRequests, 'padan-report-requests', async (m) => {
  for (const x of m) service.onRequest(x.value);
});

let running = false;
const http = await startHttpServer(config.HTTP_PORT, metrics.registry, { live: () => true, ready: () => running });
await bus.run();
running = true;
logger.info({ httpPort: http.port, nextDaily: service.nextDailyAt.toISOString() }, 'report consuming');

const stopLag = startLagReporter((g) => bus.lag(g), VIEW_GROUP, metrics);

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
  stopLag();
  await bus.close();
  await http.close();
});
