import { describe, expect, it } from 'vitest';
import { RowAccounting } from './row-accounting.js';

const FLAGGED = 0;

describe('RowAccounting', () => {
  it('keeps the highest seq per row, the first of equal seqs, and counts flagged rows by their latest result', () => {
    const a = new RowAccounting();
    expect(a.keepResult(5, 1, FLAGGED)).toBe('kept');
    expect(a.keepResult(5, 1, 7)).toBe('stale');
    expect(a.keepResult(5, 0, 7)).toBe('stale');
    expect([a.results, a.flagged]).toEqual([1, 1]);
    expect(a.keepResult(5, 2, 7)).toBe('replacedFlagged');
    expect([a.results, a.flagged]).toEqual([1, 0]);
    expect(a.keepResult(3000, 0, FLAGGED)).toBe('kept');
    expect([a.results, a.flagged]).toEqual([2, 1]);
  });

  it('compares seqs past what a row byte holds', () => {
    const a = new RowAccounting();
    expect(a.keepResult(1, 253, 1)).toBe('kept');
    expect(a.keepResult(1, 254, FLAGGED)).toBe('kept');
    expect(a.keepResult(1, 100_000, 1)).toBe('replacedFlagged');
    expect(a.keepResult(1, 99_999, FLAGGED)).toBe('stale');
    expect(a.keepResult(1, 100_000, FLAGGED)).toBe('stale');
    expect(a.keepResult(1, 100_001, FLAGGED)).toBe('kept');
    expect([a.results, a.flagged]).toEqual([1, 1]);
  });

  it('counts clean rows by the profile of their latest result, whatever replaces whatever', () => {
    const a = new RowAccounting();
    a.keepResult(1, 1, 3);
    a.keepResult(2, 1, 3);
    a.keepResult(3, 1, 4);
    expect(a.cleanByProfile()).toEqual([
      [3, 2],
      [4, 1],
    ]);
    // clean → clean of another profile, clean → flagged, a stale clean result changes nothing.
    expect(a.keepResult(1, 2, 4)).toBe('kept');
    expect(a.keepResult(2, 2, FLAGGED)).toBe('kept');
    expect(a.keepResult(3, 0, 3)).toBe('stale');
    expect(a.cleanByProfile()).toEqual([[4, 2]]);
    expect([a.results, a.flagged]).toEqual([3, 1]);
    // flagged → clean again.
    expect(a.keepResult(2, 5, 3)).toBe('replacedFlagged');
    expect(a.cleanByProfile()).toEqual([
      [3, 1],
      [4, 2],
    ]);
    expect([a.results, a.flagged]).toEqual([3, 0]);
  });

  it('hands out a copy of the clean counts: later results do not change one taken before', () => {
    const a = new RowAccounting();
    a.keepResult(1, 1, 2);
    const before = a.cleanByProfile();
    a.keepResult(1, 2, FLAGGED);
    a.keepResult(2, 1, 2);
    expect(before).toEqual([[2, 1]]);
  });

  it('widens its profile slots past 65 535 distinct profiles without losing the narrower ones', () => {
    const a = new RowAccounting();
    a.keepResult(1, 1, 65_535);
    a.keepResult(2, 1, 70_000);
    a.keepResult(5000, 1, 70_001);
    expect(a.keepResult(1, 2, FLAGGED)).toBe('kept');
    expect(a.keepResult(2, 2, FLAGGED)).toBe('kept');
    expect(a.cleanByProfile()).toEqual([[70_001, 1]]);
    expect(a.flagged).toBe(2);
  });

  it('forgets results and clean counts on a reset, not rejected rows', () => {
    const a = new RowAccounting();
    a.keepResult(1, 3, 2);
    a.keepResult(2, 3, FLAGGED);
    a.keepRejected(4);
    a.resetResults();
    expect([a.results, a.flagged, a.rejected]).toEqual([0, 0, 1]);
    expect(a.cleanByProfile()).toEqual([]);
    // A lower seq than before the reset counts again (the rebuilt state starts over).
    expect(a.keepResult(1, 1, FLAGGED)).toBe('kept');
    expect(a.flagged).toBe(1);
  });

  it('counts a redelivered dead letter once', () => {
    const a = new RowAccounting();
    a.keepRejected(9);
    a.keepRejected(9);
    a.keepRejected(70_000);
    expect(a.rejected).toBe(2);
  });
});
