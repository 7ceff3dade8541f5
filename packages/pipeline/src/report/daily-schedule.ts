/**
 * The daily snapshot time, `HH:MM` in Asia/Jakarta (WIB, UTC+7 all year: Indonesia has no daylight
 * saving time), as the next instant after `now`.
 */
const WIB_OFFSET_MS = 7 * 3600 * 1000;

export function parseDailyAt(hhmm: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`daily snapshot time "${hhmm}" must be HH:MM (24-hour, Asia/Jakarta), e.g. 23:00`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

export function nextDailyRun(now: Date, hhmm: string): Date {
  const { hour, minute } = parseDailyAt(hhmm);
  const wib = new Date(now.getTime() + WIB_OFFSET_MS);
  let target = Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth(), wib.getUTCDate(), hour, minute) - WIB_OFFSET_MS;
  if (target <= now.getTime()) target += 24 * 3600 * 1000;
  return new Date(target);
}

/** The calendar date in Asia/Jakarta of an instant: `YYYY-MM-DD`. */
export function jakartaDateOf(t: Date): string {
  return new Date(t.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}
