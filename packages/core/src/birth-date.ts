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
  let m = ISO.exec(v);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = DMY.exec(v);
  if (m) return valid(Number(m[4]), Number(m[3]), Number(m[1]));
  if (allowExcelSerial && SERIAL.test(v)) return excelSerialToIso(Math.trunc(Number(v)));
  return null;
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
