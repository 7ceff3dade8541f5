import type { FileCompleted } from '@padan/contracts';

/**
 * The Kafka brokers of the integration tests, from `KAFKA_BROKERS` (comma-separated host:port).
 * Never skips: without brokers the tests fail with this message.
 */
export function kafkaBrokers(): string[] {
  const raw = process.env['KAFKA_BROKERS']?.trim();
  if (!raw) {
    throw new Error(
      'KAFKA_BROKERS is not set: the Kafka integration tests need a broker. ' +
        'Start the services with pnpm stack:up and source .stack/env, or run the suite through .ci/run',
    );
  }
  const brokers = raw.split(',').map((b) => b.trim()).filter(Boolean);
  const bad = brokers.filter((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (brokers.length === 0 || bad.length > 0) throw new Error(`KAFKA_BROKERS must be a comma-separated list of host:port, got ${JSON.stringify(raw)}`);
  return brokers;
}

/** A small valid FileCompleted, distinct per `row`, for tests of the bus itself. */
export function fileAnnouncement(row: number): FileCompleted {
  return {
    v: 1, period: '2021-09', source: 'DTKS', file: `f${row}.csv`, runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 1,
    fields: ['nik', 'nama'], headerRow: 1, rowsRead: row, rowsEmitted: row, rowsRejected: 0,
  };
}
