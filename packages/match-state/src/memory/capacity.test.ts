import { describe, expect, it } from 'vitest';
import { nextCapacity } from './capacity.js';

describe('nextCapacity', () => {
  it('doubles small tables and grows large ones by half, never below what is needed', () => {
    expect(nextCapacity(1024, 1025)).toBe(2048);
    expect(nextCapacity(1 << 20, (1 << 20) + 1)).toBe(1.5 * (1 << 20));
    expect(nextCapacity(1 << 21, 1 << 23)).toBe(1 << 23);
  });

  it('grows geometrically: a million appends one by one reallocate a few dozen times', () => {
    let capacity = 1024;
    let reallocations = 0;
    for (let n = 1; n <= 4_000_000; n++) {
      if (n > capacity) {
        capacity = nextCapacity(capacity, n);
        reallocations++;
      }
    }
    expect(reallocations).toBeLessThan(20);
    expect(capacity).toBeGreaterThanOrEqual(4_000_000);
  });
});
