import type { Message, RecordMetadata } from 'kafkajs';

/**
 * The messages of `sent` that the broker's answer does not cover: those with an explicit partition
 * the producer's metadata did not know, which kafkajs drops silently. Messages without a partition
 * are placed by the partitioner over known partitions only, so they are always sent.
 */
export function unsentOf(sent: readonly Message[], answer: readonly RecordMetadata[]): Message[] {
  const answered = new Set(answer.map((r) => r.partition));
  return sent.filter((m) => m.partition !== undefined && !answered.has(m.partition));
}
