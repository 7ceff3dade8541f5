import { isCalendarDate } from '@padan/core';
import { UsageError } from './usage-error.js';

/**
 * `--date`: the snapshot's date, which becomes a folder name (`date=YYYY-MM-DD`). Only a real
 * calendar date in that exact shape is accepted: anything else (`a/b`, `../..`) would write the
 * snapshot somewhere else than where readers look for it.
 */
export function parseSnapshotDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new UsageError(`--date "${value}" is not a date; write it as YYYY-MM-DD, e.g. 2021-09-30`);
  if (!isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new UsageError(`--date ${value} does not exist in the calendar; give a real date, e.g. 2021-09-30`);
  return value;
}
