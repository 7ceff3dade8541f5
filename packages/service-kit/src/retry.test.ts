import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from './retry.js';

describe('retryWithBackoff', () => {
  it('retries with doubling waits, capped, until it succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const v = await retryWithBackoff(
      async () => {
        if (++calls < 4) throw new Error('blip');
        return 'ok';
      },
      { attempts: 5, firstMs: 1, maxMs: 3, onRetry: (_e, _a, w) => void waits.push(w) },
    );
    expect(v).toBe('ok');
    expect(waits).toEqual([1, 2, 3]);
  });

  it('rethrows the last error after the last attempt', async () => {
    let calls = 0;
    await expect(retryWithBackoff(async () => Promise.reject(new Error(`fail ${++calls}`)), { attempts: 3, firstMs: 1 })).rejects.toThrow('fail 3');
  });
});
