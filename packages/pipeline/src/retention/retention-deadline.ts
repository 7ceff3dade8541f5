/**
 * When an object's retention ends, as a UTC day `YYYY-MM-DD` from which it is expired.
 *
 * A period's data is about the whole month, and is complete only once the month is over (late
 * files come after it), so an input or a current snapshot ages from the end of its period: the
 * first day of the next month. Thirteen months of raw inputs for 2024-01 end on 2025-03-01 (kept on
 * 2025-02-28, expired from 2025-03-01). Month arithmetic on first days has no short-month or
 * leap-day case.
 *
 * A superseded snapshot ages from its snapshot date, the day it was what padan published (an
 * auditor's "what did the March snapshot say"), but never outlives the period's current snapshot:
 * it holds the same kind of personal data about the same period, so it must not be the reason that
 * data is kept longer. A date plus months that lands past the month's end (29 Feb + 12 months)
 * moves to the last day of that month (28 Feb), never into the next month.
 */
export function periodRetentionEnd(period: string, months: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  // month index of the first day after the period, plus the retention
  const idx = y * 12 + (m - 1) + 1 + months;
  return `${String(Math.floor(idx / 12)).padStart(4, '0')}-${String((idx % 12) + 1).padStart(2, '0')}-01`;
}

export function dateRetentionEnd(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const idx = y * 12 + (m - 1) + months;
  const year = Math.floor(idx / 12);
  const month = (idx % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** `today` (YYYY-MM-DD) is on or after `end`: ISO dates compare as strings. */
export function isPast(end: string, today: string): boolean {
  return today >= end;
}
