import { isCalendarDate, isoDate } from './calendar.js';

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;
const DMY = /^(\d{1,2})([-/])(\d{1,2})\2(\d{4})(?: .*)?$/;
const SERIAL = /^\d{1,6}(?:\.0+)?$/;

/**
 * Parses a recorded birth date: `YYYY-MM-DD`, `DD-MM-YYYY`, `DD/MM/YYYY` (a time part is ignored),
 * and, for XLSX sources, an Excel date serial. Returns ISO `YYYY-MM-DD`, or null when it is not a
 * real calendar date.
 */
export function parseBirthDate(raw: string, allowExcelSerial: boolean): string | null {
  const v = raw.trim();
  if (v === '') return null;
  const fast = parsePlainDate(v);
  if (fast !== undefined) return fast;
  let m = ISO.exec(v);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = DMY.exec(v);
  if (m) return valid(Number(m[4]), Number(m[3]), Number(m[1]));
  if (allowExcelSerial && SERIAL.test(v)) return excelSerialToIso(Math.trunc(Number(v)));
  return null;
}

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** The number written by `n` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = digitAt(s, i);
    if (c < 0) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Whether `s` from `at` holds no line terminator (what `.` of the regexes cannot match). */
function noLineBreak(s: string, at: number): boolean {
  for (let i = at; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
}

/**
 * The shapes nearly every list writes, `YYYY-MM-DD` and `DD/MM/YYYY` (or `DD-MM-YYYY`), two digits
 * each, optionally followed by a time, read by char codes: the regexes cost more than the rest of
 * the row. Returns undefined for any other shape, which the regexes then decide, so the accepted
 * set is exactly theirs.
 */
function parsePlainDate(v: string): string | null | undefined {
  const n = v.length;
  if (n < 10) return undefined;
  const sep = v.charCodeAt(10);
  if (n > 10 && !((sep === 32 || sep === 84) && noLineBreak(v, 11))) return undefined;
  if (v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45) {
    const y = digitsAt(v, 0, 4);
    const m = digitsAt(v, 5, 2);
    const d = digitsAt(v, 8, 2);
    if (y < 0 || m < 0 || d < 0) return undefined;
    const iso = valid(y, m, d);
    // Already in ISO form: the result is the text itself, no string is built.
    return iso !== null && n === 10 ? v : iso;
  }
  const s = v.charCodeAt(2);
  if ((s === 47 || s === 45) && v.charCodeAt(5) === s && sep !== 84) {
    const d = digitsAt(v, 0, 2);
    const m = digitsAt(v, 3, 2);
    const y = digitsAt(v, 6, 4);
    if (y < 0 || m < 0 || d < 0) return undefined;
    // The ISO form from the text's own digits (four, two and two, as isoDate would write them).
    return y >= 1850 && isCalendarDate(y, m, d) ? `${v.slice(6, 10)}-${v.slice(3, 5)}-${v.slice(0, 2)}` : null;
  }
  return undefined;
}

function valid(y: number, m: number, d: number): string | null {
  return y >= 1850 && isCalendarDate(y, m, d) ? isoDate(y, m, d) : null;
}

/**
 * Excel's 1900 date system counts 1900-01-01 as 1 and wrongly includes 1900-02-29 (serial 60),
 * a Lotus 1-2-3 compatibility bug; serials after 60 are therefore one day ahead of a plain count.
 */
export function excelSerialToIso(serial: number): string | null {
  if (serial < 1 || serial === 60 || serial > 2958465) return null;
  const days = serial > 60 ? serial - 1 : serial;
  const t = Date.UTC(1899, 11, 31) + days * 86_400_000;
  const d = new Date(t);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
