// @ts-check
/**
 * Prints a live tally of padan.mismatches.v1 (flagged records per period, regency, outcome and
 * reason) every few seconds while it changes. See README.md.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 node main.mjs
 */
import { startMismatchTally } from './consumer.mjs';
import { renderTally } from './tally.mjs';

const env = process.env;
const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
if (brokers.length === 0) {
  process.stderr.write('KAFKA_BROKERS is not set: give the brokers as host:port[,host:port] (after pnpm stack:up: source .stack/env)\n');
  process.exit(2);
}
const mechanism = env.KAFKA_SASL_MECHANISM;
const printMs = Number(env.TALLY_PRINT_MS ?? 5000);

let changed = false;
/** @type {Awaited<ReturnType<typeof startMismatchTally>>} */
let started;
try {
  started = await startMismatchTally({
    brokers,
    ...(env.TALLY_TOPIC ? { topic: env.TALLY_TOPIC } : {}),
    ...(env.TALLY_GROUP_ID ? { groupId: env.TALLY_GROUP_ID } : {}),
    ...(env.MISMATCH_SCHEMA ? { schemaPath: env.MISMATCH_SCHEMA } : {}),
    ssl: env.KAFKA_SSL === 'true',
    ...(mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512'
      ? { sasl: /** @type {import('kafkajs').SASLOptions} */ ({ mechanism, username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' }) }
      : {}),
    onChange: () => {
      changed = true;
    },
  });
} catch (e) {
  process.stderr.write(`mismatch-tally: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
const { tally, stop } = started;
process.stderr.write(`tallying ${env.TALLY_TOPIC ?? 'padan.mismatches.v1'} on ${brokers.join(',')}; Ctrl-C to stop\n`);

const timer = setInterval(() => {
  if (!changed) return;
  changed = false;
  process.stdout.write(`\n${new Date().toISOString()}\n${renderTally(tally)}\n`);
}, printMs);

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    clearInterval(timer);
    process.stdout.write(`\n${renderTally(tally)}\n`);
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
