import { describe, expect, it } from 'vitest';
import { RowAccounting } from './row-accounting.js';

describe('RowAccounting', () => {
  it('keeps the highest seq per row, the first of equal seqs, and counts flagged rows by their latest result', () => {
    const a = new RowAccounting();
    expect(a.keepResult(5, 1, true)).toBe(true);
    expect(a.keepResult(5, 1, false)).toBe(false);
    expect(a.keepResult(5, 0, false)).toBe(false);
    expect([a.results, a.flagged]).toEqual([1, 1]);
    expect(a.keepResult(5, 2, false)).toBe(true);
    expect([a.results, a.flagged]).toEqual([1, 0]);
    expect(a.keepResult(3000, 0, true)).toBe(true);
    expect([a.results, a.flagged]).toEqual([2, 1]);
  });

  it('compares seqs past what a row byte holds', () => {
    const a = new RowAccounting();
    expect(a.keepResult(1, 253, false)).toBe(true);
    expect(a.keepResult(1, 254, true)).toBe(true);
    expect(a.keepResult(1, 100_000, false)).toBe(true);
    expect(a.keepResult(1, 99_999, true)).toBe(false);
    expect(a.keepResult(1, 100_000, true)).toBe(false);
    expect(a.keepResult(1, 100_001, true)).toBe(true);
    expect([a.results, a.flagged]).toEqual([1, 1]);
  });

  it('counts a redelivered dead letter once', () => {
    const a = new RowAccounting();
    a.keepRejected(9);
    a.keepRejected(9);
    a.keepRejected(70_000);
    expect(a.rejected).toBe(2);
  });
});
