/**
 * A period no other test run has used: integration tests share one Kafka, one bucket and one
 * Redis, and records are identified by period, source, file and row.
 */
export function uniquePeriod(): string {
  const year = 2100 + Math.floor(Math.random() * 7000);
  const month = 1 + Math.floor(Math.random() * 12);
  return `${year}-${String(month).padStart(2, '0')}`;
}
