import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PartitionMetadata } from 'kafkajs';
import { Partitioners } from './kafkajs.js';
import { murmur2, partitionFor, toPositive } from './partitioner.js';

const kafkajsPartition = (() => {
  const partitioner = Partitioners.DefaultPartitioner();
  const meta = (n: number): PartitionMetadata[] =>
    Array.from({ length: n }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1] }));
  const cache = new Map<number, PartitionMetadata[]>();
  return (key: string | Buffer, n: number): number => {
    const partitionMetadata = cache.get(n) ?? meta(n);
    cache.set(n, partitionMetadata);
    return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
  };
})();

/** Deterministic pseudo-random NIK-like strings and other shapes. */
function* keys(count: number): Generator<string> {
  let x = 0x2545f491;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  for (let i = 0; i < count; i++) {
    switch (i % 5) {
      case 0: // a 16-digit NIK
        yield String(1_500_000_000_000_000 + (next() % 99_999_999) * 1_000_000 + (next() % 1_000_000)).slice(0, 16);
        break;
      case 1: // a record identity
        yield `2021-09/PKH/pkh-${next() % 97}.csv#${next() % 100_000}`;
        break;
      case 2: // a 64-hex NIK hash
        yield randomHex(next);
        break;
      case 3: // every length 0..40, including the 1-3 byte tails
        yield 'x'.repeat(i % 41);
        break;
      default: // non-ASCII (multi-byte UTF-8)
        yield `NUR HAYATI ${String.fromCodePoint(0xc0 + (next() % 400))}${next() % 1000}`;
    }
  }
}

function randomHex(next: () => number): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += next().toString(16).padStart(8, '0');
  return s;
}

describe('partitionFor', () => {
  it("matches the Java client's murmur2 on Kafka's own test vectors", () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [k, h] of cases) expect(murmur2(Buffer.from(k)), k).toBe(h);
  });

  it("gives the partition kafkajs's DefaultPartitioner gives, for 20 000 keys and 1..64 partitions", () => {
    let i = 0;
    for (const key of keys(20_000)) {
      const n = (i++ % 64) + 1;
      expect(partitionFor(key, n), `${key} / ${n}`).toBe(kafkajsPartition(key, n));
    }
  });

  it('agrees with kafkajs on random binary keys too', () => {
    for (let i = 0; i < 2_000; i++) {
      const key = randomBytes(i % 50);
      expect(partitionFor(key, 7)).toBe(kafkajsPartition(key, 7));
    }
  });

  it('is a stable partition in range; toPositive clears the sign bit', () => {
    expect(partitionFor('1571014101900001', 3)).toBe(partitionFor('1571014101900001', 3));
    for (const key of keys(1_000)) {
      const p = partitionFor(key, 12);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(12);
    }
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(() => partitionFor('x', 0)).toThrow(RangeError);
  });
});
