/**
 * kafkajs's runtime values. kafkajs is CommonJS and Node's ESM loader cannot see all of its
 * exports as named exports (ConfigResourceTypes, for one), so they come from the default export.
 * Types are imported from 'kafkajs' directly with `import type`.
 */
import kafkajs from 'kafkajs';

export const { Kafka, Partitioners, logLevel, CompressionTypes, ConfigResourceTypes, ConfigSource } = kafkajs;
