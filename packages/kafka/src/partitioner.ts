/**
 * Kafka's default key partitioner, as the Java client (`Utils.murmur2`, `Utils.toPositive`) and
 * kafkajs's `Partitioners.DefaultPartitioner` compute it: the partition of a keyed record is
 * `toPositive(murmur2(utf8(key))) % partitions`.
 *
 * It lets a producer choose the partition of a batch itself: a stage that splits records by a hash
 * of their NIK publishes each group with an explicit `partition: partitionFor(key, n)`, and a
 * single-record message keyed by the same key lands in the same partition.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Murmur2, 32-bit, exactly as Kafka's Java client: signed 32-bit result. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not the absolute value). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

const encoder = new TextEncoder();

/** The partition Kafka's default partitioner gives a record with this key (UTF-8 bytes). */
export function partitionFor(key: string | Uint8Array, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  const bytes = typeof key === 'string' ? encoder.encode(key) : key;
  return toPositive(murmur2(bytes)) % partitions;
}
