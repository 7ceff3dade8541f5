import type { Logger } from 'pino';
import type { StageMetrics } from './metrics.js';

/**
 * The callbacks of a KafkaBus wired to a stage's logger and metrics. Logs carry topic, partition,
 * offset and counts only (the bus never hands over keys or values).
 */
export function busHooks(logger: Logger, metrics: StageMetrics) {
  return {
    logger: {
      info: (obj: object, msg: string) => logger.info(obj, msg),
      warn: (obj: object, msg: string) => logger.warn(obj, msg),
      error: (obj: object, msg: string) => logger.error(obj, msg),
    },
    onBatch: (e: { topic: string; messages: number; ms: number }) => {
      metrics.batchSeconds.labels(e.topic).observe(e.ms / 1000);
    },
    onInvalid: (e: { topic: string; partition: number; offset: string; reason: string }) => {
      metrics.invalidMessages.labels(e.topic).inc();
      logger.error({ topic: e.topic, partition: e.partition, offset: e.offset, reason: e.reason }, 'message failed its contract: skipped');
    },
  };
}
