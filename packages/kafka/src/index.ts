export { KafkaBus, HandlerError, padanHeaders, HEADER_CONTRACT, HEADER_VERSION, HEADER_PERIOD, HEADER_SOURCE, HEADER_FILE, HEADER_RUN_ID } from './kafka-bus.js';
export type {
  KafkaBusOptions,
  KafkaPublishMessage,
  KafkaMessage,
  KafkaBatchHandler,
  AnyContract,
  ConsumerTuning,
  BatchEvent,
  InvalidEvent,
  InvalidReason,
  PublishEvent,
  CrashEvent,
} from './kafka-bus.js';
export { createKafka, connectAdmin, kafkaConnectionFromEnv, kafkaConnectionOf, kafkaEnv, DEFAULT_RETRY } from './connection.js';
export type { KafkaConnection, KafkaEnv } from './connection.js';
export { loadTopicCatalog, parseTopicCatalog, applyTopics, TopicCatalogError } from './topic-catalog.js';
export type { TopicCatalog, TopicSpec, TopicChange, ApplyTopicsReport, ApplyTopicsOptions } from './topic-catalog.js';
export { partitionFor, murmur2, toPositive } from './partitioner.js';
export { stderrLogger, silentLogger } from './logger.js';
export type { Logger } from './logger.js';
/** The kafkajs admin client type, for callers of connectAdmin/applyTopics. */
export type { Admin as KafkaAdmin } from 'kafkajs';
