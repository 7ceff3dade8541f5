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
  if (raw.length === 16 && allDigits(raw)) return { nik: raw, scientific: false, survivingDigits: null };
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

// Results shared by every record: a check allocates nothing (millions of rows per run).
const VALID: NikCheck = Object.freeze({ invalid: null, regionUnknown: false });
const VALID_REGION_UNKNOWN: NikCheck = Object.freeze({ invalid: null, regionUnknown: true });
const INVALID = new Map<InvalidNikDetail, NikCheck>();
function invalid(detail: InvalidNikDetail): NikCheck {
  let c = INVALID.get(detail);
  if (!c) INVALID.set(detail, (c = Object.freeze({ invalid: detail, regionUnknown: false })));
  return c;
}

/** Whether `s` is all ASCII digits (as `/^\d+$/` without the u flag), by char codes: no regex per row. */
function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The number written by two ASCII digits at `at` (the caller has checked they are digits). */
function twoDigits(s: string, at: number): number {
  return (s.charCodeAt(at) - 48) * 10 + (s.charCodeAt(at + 1) - 48);
}

/** Validates a cleaned NIK; the first failing rule names the detail. */
export function checkNik(cleaned: CleanedNik, regions: RegionCatalog): NikCheck {
  const nik = cleaned.nik;
  if (cleaned.scientific) return invalid('EXCEL_SCIENTIFIC');
  if (nik === '') return invalid('EMPTY');
  if (nik.length !== 16 || !allDigits(nik)) return invalid('LENGTH');
  const place = placeOf(nik, regions);
  if (place === PLACE_PROVINCE_UNKNOWN) return invalid('PROVINCE');
  if (!nikDatePlausible(nik)) return invalid('BIRTHDATE');
  if (nik.endsWith('0000')) return invalid('SERIAL');
  return place === PLACE_KNOWN ? VALID : VALID_REGION_UNKNOWN;
}

const PLACE_KNOWN = 0;
const PLACE_REGION_UNKNOWN = 1;
const PLACE_PROVINCE_UNKNOWN = 2;

// The last kecamatan prefix looked up, and for which catalog: lists run household by household,
// so consecutive NIKs mostly share their first six digits, and comparing them costs less than
// three slices and three set lookups. Only a memo: the answer is the catalog's either way.
let lastCatalog: RegionCatalog | null = null;
let lastPrefix = '';
let lastPlace = PLACE_KNOWN;

/** Whether the province, regency and kecamatan of a 16-digit NIK are in the catalog. */
function placeOf(nik: string, regions: RegionCatalog): number {
  if (regions === lastCatalog && samePrefix(nik, lastPrefix)) return lastPlace;
  const province = nik.slice(0, 2);
  let place = PLACE_KNOWN;
  if (!regions.provinces.has(province) && !regions.retiredProvinces.has(province)) place = PLACE_PROVINCE_UNKNOWN;
  else if (!regions.regencies.has(nik.slice(0, 4)) || !regions.kecamatan.has(nik.slice(0, 6))) place = PLACE_REGION_UNKNOWN;
  lastCatalog = regions;
  lastPrefix = nik.slice(0, 6);
  lastPlace = place;
  return place;
}

function samePrefix(nik: string, prefix: string): boolean {
  if (prefix.length !== 6) return false;
  for (let i = 0; i < 6; i++) if (nik.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return true;
}

/** Day 1–31 (men) or 41–71 (women), month 1–12, and a real date in the 1900s or 2000s. `nik` is 16 digits. */
function nikDatePlausible(nik: string): boolean {
  const dd = twoDigits(nik, 6);
  if (!((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71))) return false;
  const day = dd > 40 ? dd - 40 : dd;
  const month = twoDigits(nik, 8);
  const yy = twoDigits(nik, 10);
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
  const dd = twoDigits(nik, 6);
  const female = dd > 40;
  const day = female ? dd - 40 : dd;
  const month = twoDigits(nik, 8);
  const yy = twoDigits(nik, 10);
  const sex = female ? 'P' : 'L';
  // A corrected birth date may differ from the NIK's (even across a new year), so the century is
  // the one that puts the NIK's date nearest the recorded year, not simply the recorded century.
  let century: number;
  if (recordedBirthDate) {
    const recorded = Number(recordedBirthDate.slice(0, 4));
    century = Math.abs(1900 + yy - recorded) <= Math.abs(2000 + yy - recorded) ? 1900 : 2000;
  } else century = 2000 + yy <= periodYear ? 2000 : 1900;
  const year = century + yy;
  if (!isCalendarDate(year, month, day)) return { sex, birthDate: null };
  // Mostly the NIK's date is the recorded one: that string serves, none is built.
  return { sex, birthDate: recordedBirthDate !== null && isIsoDateOf(recordedBirthDate, year, month, day) ? recordedBirthDate : isoDate(year, month, day) };
}

/** Whether `s` is `YYYY-MM-DD` naming this year, month and day. */
function isIsoDateOf(s: string, year: number, month: number, day: number): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  let y = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (i < 4) y = y * 10 + (c - 48);
  }
  return y === year && twoDigits(s, 5) === month && twoDigits(s, 8) === day;
}

/** `1571********0001`: what dashboards and logs may show of a NIK. */
export function maskNik(nik: string): string {
  if (nik.length <= 8) return '*'.repeat(nik.length);
  return `${nik.slice(0, 4)}${'*'.repeat(nik.length - 8)}${nik.slice(-4)}`;
}
