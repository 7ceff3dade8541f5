import { TOPICS } from '@padan/contracts';
import type { LogFields, Logger } from './logger.js';
import type { StageMetrics } from './metrics.js';

/**
 * The callbacks of a KafkaBus wired to a stage's logger and metrics. The bus logs what it sees
 * (topic, partition, offset, reason; never keys or values) and the logger keeps only allow-listed
 * fields of it; an invalid message is logged by the bus once, dead-lettered by it on
 * padan.rejected.v1 (topic, partition, offset, reason), and only counted here.
 */
export function busHooks(logger: Logger, metrics: StageMetrics) {
  return {
    logger: {
      // The bus's fields are checked against the allow-list at run time (see loggableFields).
      info: (obj: object, msg: string) => logger.info(obj as LogFields, msg),
      warn: (obj: object, msg: string) => logger.warn(obj as LogFields, msg),
      error: (obj: object, msg: string) => logger.error(obj as LogFields, msg),
    },
    deadLetterTopic: TOPICS.rejected,
    onBatch: (e: { topic: string; messages: number; ms: number }) => {
      metrics.batchSeconds.labels(e.topic).observe(e.ms / 1000);
    },
    onInvalid: (e: { topic: string }) => {
      metrics.invalidMessages.labels(e.topic).inc();
    },
  };
}
