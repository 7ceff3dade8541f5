import { describe, expect, it } from 'vitest';
import { jakartaDateOf, nextDailyRun, parseDailyAt } from './daily-schedule.js';

describe('daily snapshot schedule (Asia/Jakarta)', () => {
  it('fires later the same Jakarta day when the time has not passed', () => {
    // 2021-09-30 10:00 WIB = 03:00 UTC; 23:00 WIB = 16:00 UTC the same day.
    expect(nextDailyRun(new Date('2021-09-30T03:00:00Z'), '23:00').toISOString()).toBe('2021-09-30T16:00:00.000Z');
  });
  it('fires the next day when the time has passed', () => {
    expect(nextDailyRun(new Date('2021-09-30T16:00:00Z'), '23:00').toISOString()).toBe('2021-10-01T16:00:00.000Z');
  });
  it('uses the Jakarta date, not the UTC one, around midnight', () => {
    // 2021-09-30 20:00 UTC is already 2021-10-01 03:00 in Jakarta.
    expect(nextDailyRun(new Date('2021-09-30T20:00:00Z'), '06:30').toISOString()).toBe('2021-09-30T23:30:00.000Z');
    expect(jakartaDateOf(new Date('2021-09-30T20:00:00Z'))).toBe('2021-10-01');
  });
  it('rejects malformed times with the rule', () => {
    expect(() => parseDailyAt('24:00')).toThrow(/HH:MM/);
    expect(() => parseDailyAt('7:00')).toThrow(/HH:MM/);
  });
});
