import { describe, expect, it } from 'vitest';
import { dateRetentionEnd, isPast, periodRetentionEnd } from './retention-deadline.js';

describe('retention deadlines', () => {
  it('ages a period from its end: 13 months of 2024-01 end on 2025-03-01', () => {
    const end = periodRetentionEnd('2024-01', 13);
    expect(end).toBe('2025-03-01');
    expect(isPast(end, '2025-02-28')).toBe(false);
    expect(isPast(end, '2025-03-01')).toBe(true);
  });

  it('crosses year ends and leap Februaries without a day case', () => {
    expect(periodRetentionEnd('2023-12', 13)).toBe('2025-02-01');
    expect(periodRetentionEnd('2024-02', 12)).toBe('2025-03-01');
    expect(periodRetentionEnd('2019-11', 60)).toBe('2024-12-01');
  });

  it('moves a snapshot date past its month end to the last day, never into the next month', () => {
    expect(dateRetentionEnd('2024-02-29', 12)).toBe('2025-02-28');
    expect(dateRetentionEnd('2024-02-29', 48)).toBe('2028-02-29');
    expect(dateRetentionEnd('2023-01-31', 1)).toBe('2023-02-28');
    expect(dateRetentionEnd('2023-10-15', 60)).toBe('2028-10-15');
  });
});
