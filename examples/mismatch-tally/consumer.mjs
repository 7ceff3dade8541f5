// @ts-check
/**
 * A kafkajs consumer of padan.mismatches.v1 feeding a MismatchTally. main.mjs runs it from the
 * environment; a test or another program can start it with its own options.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { headerText, mismatchDecoder } from './mismatch-message.mjs';
import { MismatchTally } from './tally.mjs';

export const TOPIC = 'padan.mismatches.v1';

/**
 * @typedef {object} TallyOptions
 * @property {string[]} brokers `host:port` of the brokers
 * @property {string} [topic] default padan.mismatches.v1
 * @property {string} [groupId] default a new group per start: the tally lives in memory, so every
 *   start reads the topic from its beginning (its retention is 30 days)
 * @property {string} [schemaPath] the published JSON Schema of MismatchEvent v1
 * @property {boolean} [ssl]
 * @property {import('kafkajs').SASLOptions} [sasl]
 * @property {MismatchTally} [tally]
 * @property {() => void} [onChange] called after a message changed the tally
 * @property {(line: string) => void} [log] refused messages, by topic, partition and offset (never their content)
 */

/**
 * Connects, subscribes from the beginning and tallies every message until `stop()`.
 * @param {TallyOptions} options
 */
export async function startMismatchTally(options) {
  const topic = options.topic ?? TOPIC;
  const groupId = options.groupId ?? `padan-mismatch-tally-${randomUUID()}`;
  const tally = options.tally ?? new MismatchTally();
  const decode = mismatchDecoder(options.schemaPath);
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const kafka = new Kafka({
    clientId: 'padan-mismatch-tally',
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    ...(options.ssl ? { ssl: true } : {}),
    ...(options.sasl ? { sasl: options.sasl } : {}),
  });
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const d = decode(message.value, headerText(message.headers));
        if (!d.ok) {
          tally.refuse();
          log(`refused ${topic}/${partition}@${message.offset}: ${d.reason}`);
          return;
        }
        if (tally.apply(d.event)) options.onChange?.();
      },
    });
  } catch (e) {
    await consumer.disconnect();
    if (e instanceof Error && 'type' in e && e.type === 'UNKNOWN_TOPIC_OR_PARTITION') {
      throw new Error(`topic ${topic} does not exist on ${options.brokers.join(',')}: create padan's topics first (pnpm padan topics apply), or check TALLY_TOPIC`);
    }
    throw e;
  }
  return { tally, groupId, stop: () => consumer.disconnect() };
}
