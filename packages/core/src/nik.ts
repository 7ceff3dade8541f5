import type { InvalidNikDetail } from '@padan/contracts';
import { isCalendarDate, isoDate } from './calendar.js';
import type { RegionCatalog } from './region-catalog.js';

/**
 * NIK: 16 digits `PP RR KK DDMMYY SSSS` — province, regency, kecamatan of first registration,
 * birth date (women add 40 to the day), serial from 0001. There is no checksum, so a typo usually
 * yields another valid-looking NIK; these rules only catch what is structurally impossible.
 */

export interface CleanedNik {
  /** Digits when cleaning produced only digits, else the cleaned text. */
  readonly nik: string;
  /** Set when the raw value is Excel scientific notation: digits are lost, never guess them. */
  readonly scientific: boolean;
  /** For scientific notation: the digits that survived (mantissa without the dot). */
  readonly survivingDigits: string | null;
}

const SIXTEEN_DIGITS = /^\d{16}$/;
// Spaces Excel and web forms leave around values, including no-break and zero-width ones.
const EDGE_SPACE = /^[\s\u00a0\u2007\u202f\u200b\ufeff]+|[\s\u00a0\u2007\u202f\u200b\ufeff]+$/g;
const EXCEL_FORMULA = /^="(.*)"$/s;
const PREFIX = /^(?:'|NIK\s*:?\s*)+/i;
// Excel shows 16-digit numbers with 15 significant digits as 1.57101E+15; `;` files use a decimal comma.
const SCIENTIFIC = /^(\d)[.,](\d+)E\+?(\d+)$/i;
const FLOAT_TAIL = /^(\d+)\.0+$/;
const SEPARATORS = /[\s\u00a0\u2007\u202f\u200b.\-‐‑–—]/g;
const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;

/** Cleans a raw NIK in the documented order; see README "NIK cleaning". */
export function cleanNik(raw: string): CleanedNik {
  if (SIXTEEN_DIGITS.test(raw)) return { nik: raw, scientific: false, survivingDigits: null };
  let v = raw.replace(EDGE_SPACE, '');
  const formula = EXCEL_FORMULA.exec(v);
  if (formula) v = (formula[1] ?? '').replace(EDGE_SPACE, '');
  v = v.replace(PREFIX, '').replace(EDGE_SPACE, '');
  const sci = SCIENTIFIC.exec(v);
  if (sci) return { nik: v, scientific: true, survivingDigits: `${sci[1]}${sci[2]}` };
  const float = FLOAT_TAIL.exec(v);
  if (float) v = float[1] ?? v;
  v = v.replace(SEPARATORS, '').replace(FULL_WIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return { nik: v, scientific: false, survivingDigits: null };
}

export interface NikCheck {
  readonly invalid: InvalidNikDetail | null;
  /** Regency or kecamatan code in neither the current nor the retired list: a warning only. */
  readonly regionUnknown: boolean;
}

const ALL_DIGITS = /^\d+$/;

/** Validates a cleaned NIK; the first failing rule names the detail. */
export function checkNik(cleaned: CleanedNik, regions: RegionCatalog): NikCheck {
  const nik = cleaned.nik;
  if (cleaned.scientific) return { invalid: 'EXCEL_SCIENTIFIC', regionUnknown: false };
  if (nik === '') return { invalid: 'EMPTY', regionUnknown: false };
  if (nik.length !== 16 || !ALL_DIGITS.test(nik)) return { invalid: 'LENGTH', regionUnknown: false };
  const province = nik.slice(0, 2);
  if (!regions.provinces.has(province) && !regions.retiredProvinces.has(province)) {
    return { invalid: 'PROVINCE', regionUnknown: false };
  }
  if (!nikDatePlausible(nik)) return { invalid: 'BIRTHDATE', regionUnknown: false };
  if (nik.endsWith('0000')) return { invalid: 'SERIAL', regionUnknown: false };
  const regionUnknown = !regions.regencies.has(nik.slice(0, 4)) || !regions.kecamatan.has(nik.slice(0, 6));
  return { invalid: null, regionUnknown };
}

function nikDateParts(nik: string): { day: number; month: number; yy: number; female: boolean } {
  const dd = Number(nik.slice(6, 8));
  return { day: dd > 40 ? dd - 40 : dd, month: Number(nik.slice(8, 10)), yy: Number(nik.slice(10, 12)), female: dd > 40 };
}

/** Day 1–31 (men) or 41–71 (women), month 1–12, and a real date in the 1900s or 2000s. */
function nikDatePlausible(nik: string): boolean {
  const dd = Number(nik.slice(6, 8));
  if (!((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71))) return false;
  const { day, month, yy } = nikDateParts(nik);
  return isCalendarDate(1900 + yy, month, day) || isCalendarDate(2000 + yy, month, day);
}

/**
 * Sex and birth date encoded in a valid NIK. The NIK has a two-digit year: the century comes from
 * the recorded birth date when there is one, else the latest century that is not after `periodYear`.
 */
export function nikDerived(
  nik: string,
  recordedBirthDate: string | null,
  periodYear: number,
): { sex: 'L' | 'P'; birthDate: string | null } {
  const { day, month, yy, female } = nikDateParts(nik);
  const sex = female ? 'P' : 'L';
  // A corrected birth date may differ from the NIK's (even across a new year), so the century is
  // the one that puts the NIK's date nearest the recorded year, not simply the recorded century.
  let century: number;
  if (recordedBirthDate) {
    const recorded = Number(recordedBirthDate.slice(0, 4));
    century = Math.abs(1900 + yy - recorded) <= Math.abs(2000 + yy - recorded) ? 1900 : 2000;
  } else century = 2000 + yy <= periodYear ? 2000 : 1900;
  const year = century + yy;
  return { sex, birthDate: isCalendarDate(year, month, day) ? isoDate(year, month, day) : null };
}

/** `1571********0001`: what dashboards and logs may show of a NIK. */
export function maskNik(nik: string): string {
  if (nik.length <= 8) return '*'.repeat(nik.length);
  return `${nik.slice(0, 4)}${'*'.repeat(nik.length - 8)}${nik.slice(-4)}`;
}
