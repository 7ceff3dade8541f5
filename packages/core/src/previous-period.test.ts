import { describe, expect, it } from 'vitest';
import { previousPeriod } from './previous-period.js';

describe('previousPeriod', () => {
  it('steps back a month, across a year', () => {
    expect(previousPeriod('2021-09')).toBe('2021-08');
    expect(previousPeriod('2021-10')).toBe('2021-09');
    expect(previousPeriod('2022-01')).toBe('2021-12');
  });
});
