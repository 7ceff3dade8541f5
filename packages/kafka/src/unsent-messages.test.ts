import { describe, expect, it } from 'vitest';
import type { RecordMetadata } from 'kafkajs';
import { unsentOf } from './unsent-messages.js';

const answer = (partitions: number[]): RecordMetadata[] => partitions.map((partition) => ({ topicName: 't', partition, errorCode: 0 }));

describe('unsentOf', () => {
  it('lists the messages whose explicit partition the broker did not answer for (kafkajs drops them silently)', () => {
    const sent = [
      { key: 'a', value: '1', partition: 0 },
      { key: 'b', value: '2', partition: 4 },
      { key: 'c', value: '3', partition: 5 },
      { key: 'd', value: '4' },
    ];
    expect(unsentOf(sent, answer([0])).map((m) => m.key)).toEqual(['b', 'c']);
    expect(unsentOf(sent, answer([0, 4, 5]))).toEqual([]);
  });

  it('never lists a message placed by the partitioner (no explicit partition)', () => {
    expect(unsentOf([{ key: 'd', value: '4' }], [])).toEqual([]);
  });
});
