import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel } from './kafkajs.js';
import type { Admin, Kafka as KafkaClient, RetryOptions, SASLOptions } from 'kafkajs';
import { z } from 'zod';
import { kafkajsLogCreator, stderrLogger } from './logger.js';
import type { Logger } from './logger.js';

/** Where the brokers are and how to reach them. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  ssl?: boolean | ConnectionOptions;
  sasl?: SASLOptions;
  logger?: Logger;
  /**
   * kafkajs retry policy for requests (and, for consumers, for a failing batch before the consumer
   * restarts). Given in full so that kafkajs's NODE_ENV=test defaults (15 retries of 50 ms–1 s,
   * picked when vitest sets NODE_ENV) never change behaviour between tests and production.
   */
  retry?: RetryOptions;
  connectionTimeout?: number;
  requestTimeout?: number;
  /** Read by KafkaBus (see `KafkaBusOptions.partitionWatchMs`); KAFKA_PARTITION_WATCH_MS. */
  partitionWatchMs?: number;
}

export const DEFAULT_RETRY: Required<Omit<RetryOptions, 'restartOnFailure'>> = {
  maxRetryTime: 30_000,
  initialRetryTime: 300,
  factor: 0.2,
  multiplier: 2,
  retries: 5,
};

export function createKafka(c: KafkaConnection): KafkaClient {
  if (c.brokers.length === 0) throw new Error('no Kafka brokers given (KAFKA_BROKERS is a comma-separated host:port list)');
  return new Kafka({
    brokers: c.brokers,
    clientId: c.clientId,
    ...(c.ssl !== undefined ? { ssl: c.ssl } : {}),
    ...(c.sasl ? { sasl: c.sasl } : {}),
    connectionTimeout: c.connectionTimeout ?? 3_000,
    requestTimeout: c.requestTimeout ?? 30_000,
    retry: { ...DEFAULT_RETRY, ...c.retry },
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(c.logger ?? stderrLogger),
  });
}

/** A connected admin client (topics, offsets, lag). Disconnect it when done. */
export async function connectAdmin(c: KafkaConnection): Promise<Admin> {
  const admin = createKafka(c).admin();
  await admin.connect();
  return admin;
}

/**
 * The Kafka settings of the environment, as zod fields: a service spreads them into its one
 * configuration schema (`loadConfig`), and `kafkaConnectionFromEnv` parses the same fields, so a
 * variable has one rule and one default wherever it is read. Messages name variables, never values.
 */
export const kafkaEnv = {
  KAFKA_BROKERS: z
    .string({ error: 'KAFKA_BROKERS is not set: a comma-separated list of host:port' })
    .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'each broker is host:port')).min(1, 'KAFKA_BROKERS lists no broker')),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SSL: z.enum(['true', 'false']).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** How often consumers check whether their topics gained partitions (then rejoin their group); 0 turns it off. */
  KAFKA_PARTITION_WATCH_MS: z.coerce.number().int().min(0).default(10_000),
};

/** Parsed Kafka settings (see `kafkaEnv`). */
export type KafkaEnv = z.infer<z.ZodObject<typeof kafkaEnv>>;

/**
 * The connection of parsed Kafka settings; `clientId` unless KAFKA_CLIENT_ID is set. Thrown when
 * KAFKA_SASL_MECHANISM is set without its username and password (a rule across two variables,
 * which a service's field-by-field schema cannot state), naming the variables only.
 */
export function kafkaConnectionOf(e: KafkaEnv, clientId: string): KafkaConnection {
  if (e.KAFKA_SASL_MECHANISM && !(e.KAFKA_SASL_USERNAME && e.KAFKA_SASL_PASSWORD)) {
    throw new Error('invalid Kafka settings: KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  }
  return {
    brokers: e.KAFKA_BROKERS,
    clientId: e.KAFKA_CLIENT_ID ?? clientId,
    partitionWatchMs: e.KAFKA_PARTITION_WATCH_MS,
    ...(e.KAFKA_SSL ? { ssl: e.KAFKA_SSL === 'true' } : {}),
    ...(e.KAFKA_SASL_MECHANISM ? { sasl: { mechanism: e.KAFKA_SASL_MECHANISM, username: e.KAFKA_SASL_USERNAME!, password: e.KAFKA_SASL_PASSWORD! } as SASLOptions } : {}),
  };
}

const envSchema = z.object(kafkaEnv);

/**
 * Connection settings from the environment, for the CLI and tools (a service reads `kafkaEnv` in
 * its own schema instead): `KAFKA_BROKERS` (required, `host:port,host:port`), `KAFKA_CLIENT_ID`
 * (default: the given fallback), `KAFKA_SSL=true|false`,
 * `KAFKA_SASL_MECHANISM=plain|scram-sha-256|scram-sha-512` with `KAFKA_SASL_USERNAME`/`KAFKA_SASL_PASSWORD`.
 * Error messages name variables, never their values.
 */
export function kafkaConnectionFromEnv(env: NodeJS.ProcessEnv, clientId: string): KafkaConnection {
  const pick = (k: string) => (env[k] === '' ? undefined : env[k]);
  const input: Record<string, string | undefined> = {};
  for (const k of Object.keys(kafkaEnv)) input[k] = pick(k);
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`invalid Kafka settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ')}`);
  }
  return kafkaConnectionOf(parsed.data, clientId);
}
