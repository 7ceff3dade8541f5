import { describe, expect, it } from 'vitest';
import { clusterSlot } from './cluster-slot.js';

describe('clusterSlot', () => {
  it('gives the slots of the Redis Cluster specification', () => {
    // Values from the specification's examples and `CLUSTER KEYSLOT` on Redis 7.0.
    expect(clusterSlot('123456789')).toBe(0x31c3 % 16384);
    expect(clusterSlot('foo')).toBe(12182);
    expect(clusterSlot('{user1000}.following')).toBe(clusterSlot('{user1000}.followers'));
    expect(clusterSlot('{}foo')).toBe(clusterSlot('{}foo'));
    expect(clusterSlot('a{}{b}')).not.toBe(clusterSlot('b'));
  });
});
