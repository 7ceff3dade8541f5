import { z } from 'zod';
import { CONSUMER_GROUPS, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { RawBatch } from '@padan/contracts';
import { KafkaBus, kafkaConnectionOf, partitionFor } from '@padan/kafka';
import { busHooks, commonEnv, createLogger, loadConfig, onShutdown, StageMetrics, startHttpServer, startLagReporter } from '@padan/service-kit';
import { normalizeBatch, regionCatalog, splitByPartition } from '@padan/pipeline';

/** The normalize service: raw batches in, cleaned records out, routed by NIK hash. */
const config = loadConfig(z.object({ ...commonEnv }));
const logger = createLogger('normalize', config.LOG_LEVEL);
const metrics = new StageMetrics('normalize');
const regions = regionCatalog();
const GROUP = CONSUMER_GROUPS.normalize;

const bus = new KafkaBus({
  ...kafkaConnectionOf(config, GROUP),
  contracts: TOPIC_CONTRACTS,
  ...busHooks(logger, metrics),
});
let running = false;
// Read per chunk (cached by the bus): when the topic gains partitions, records spread over them too.
let partitions = await bus.partitions(TOPICS.normalized);

bus.subscribe<RawBatch>(TOPICS.raw, GROUP, async (messages) => {
  const out = [];
  let records = 0;
  partitions = await bus.partitions(TOPICS.normalized);
  for (const m of messages) {
    metrics.recordsIn.labels(TOPICS.raw).inc(m.value.rows.length);
    const normalized = normalizeBatch(m.value, regions);
    records += normalized.records.length;
    for (const b of splitByPartition(normalized, partitions, partitionFor)) out.push(b);
  }
  await bus.publish(TOPICS.normalized, out);
  metrics.recordsOut.labels(TOPICS.normalized).inc(records);
});

const http = await startHttpServer(config.HTTP_PORT, metrics.registry, { live: () => true, ready: () => running });
await bus.run();
running = true;
logger.info({ partitions, httpPort: http.port }, 'normalize consuming');
const stopLag = startLagReporter((g) => bus.lag(g), GROUP, metrics);
onShutdown(logger, async () => {
  running = false;
  stopLag();
  await bus.close();
  await http.close();
});
