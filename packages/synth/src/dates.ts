/** Dates as day numbers (days since 1970-01-01, UTC), converted without Date objects. */

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  y: number;
  m: number;
  d: number;
}

export function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : (MONTH_DAYS[m - 1] ?? 0);
}

export function isCalendarDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function isoOfDays(days: number): string {
  const { y, m, d } = civilFromDays(days);
  return `${y}-${two(m)}-${two(d)}`;
}

export type DateStyle = 'ISO' | 'ISO_TIME' | 'DMY_DASH' | 'DMY_SLASH';

export function formatDate(days: number, style: DateStyle): string {
  const { y, m, d } = civilFromDays(days);
  switch (style) {
    case 'ISO':
      return `${y}-${two(m)}-${two(d)}`;
    case 'ISO_TIME':
      return `${y}-${two(m)}-${two(d)} 00:00:00`;
    case 'DMY_DASH':
      return `${two(d)}-${two(m)}-${y}`;
    case 'DMY_SLASH':
      return `${two(d)}/${two(m)}/${y}`;
  }
}

/** Excel 1900-system serial of a day (valid for dates after 1900-02-28). */
export function excelSerial(days: number): number {
  return days + 25569;
}

/** `DDMMYY` as written in a NIK (women: day + 40). */
export function nikDateDigits(days: number, female: boolean): string {
  const { y, m, d } = civilFromDays(days);
  return `${two(female ? d + 40 : d)}${two(m)}${two(y % 100)}`;
}
