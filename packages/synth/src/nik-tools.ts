import { isCalendarDate } from './dates.js';
import type { Rng } from './prng.js';

/**
 * NIK helpers for the generator: structural validity (the same rules padan applies, written from
 * the NIK format, not from padan's code), damaged and cosmetic variants, typos, "near" NIKs.
 */

export type InvalidKind = 'EMPTY' | 'EXCEL_SCIENTIFIC' | 'LENGTH' | 'PROVINCE' | 'BIRTHDATE' | 'SERIAL';

export interface RawNik {
  /** The value as written in the file. */
  readonly raw: string;
  /** What cleaning yields: 16 digits for a valid NIK, else the cleaned text. */
  readonly clean: string;
  readonly invalid: InvalidKind | null;
  /** For Excel scientific notation: the mantissa digits. */
  readonly surviving: string | null;
}

const DIGITS = /^\d+$/;

/** Day 1–31 (men) or 41–71 (women), month 1–12, a calendar date in the 1900s or 2000s. */
export function nikDatePlausible(nik: string): boolean {
  const dd = Number(nik.slice(6, 8));
  if (!((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71))) return false;
  const day = dd > 40 ? dd - 40 : dd;
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  return isCalendarDate(1900 + yy, month, day) || isCalendarDate(2000 + yy, month, day);
}

/** Why a 16-digit NIK is structurally invalid, in padan's rule order, or null when valid. */
export function structuralDefect(nik: string, provinces: ReadonlySet<string>): InvalidKind | null {
  if (nik === '') return 'EMPTY';
  if (nik.length !== 16 || !DIGITS.test(nik)) return 'LENGTH';
  if (!provinces.has(nik.slice(0, 2))) return 'PROVINCE';
  if (!nikDatePlausible(nik)) return 'BIRTHDATE';
  if (nik.endsWith('0000')) return 'SERIAL';
  return null;
}

export function isValidNik(nik: string, provinces: ReadonlySet<string>): boolean {
  return structuralDefect(nik, provinces) === null;
}

export function valid(nik: string): RawNik {
  return { raw: nik, clean: nik, invalid: null, surviving: null };
}

/** Excel's display of a 16-digit number: `1.57101E+15` (mantissa digits are the NIK's first digits). */
export function scientific(nik: string, mantissaDigits: number, decimalComma: boolean): RawNik {
  let digits = nik.slice(0, mantissaDigits);
  // Excel drops trailing zeros of the mantissa; keep at least one decimal.
  while (digits.length > 2 && digits.endsWith('0')) digits = digits.slice(0, -1);
  const raw = `${digits.charAt(0)}${decimalComma ? ',' : '.'}${digits.slice(1)}E+15`;
  return { raw, clean: raw, invalid: 'EXCEL_SCIENTIFIC', surviving: digits };
}

const NON_PROVINCE_CANDIDATES = ['00', '01', '05', '10', '20', '25', '30', '40', '45', '50', '60', '70', '80', '88', '90', '97', '98', '99'];

/**
 * A damaged NIK of the given kind, derived from a valid `nik`. Kinds PROVINCE, BIRTHDATE and
 * SERIAL keep the earlier checks passing so the detail is exactly the one asked for.
 */
export function invalidVariant(rng: Rng, nik: string, kind: InvalidKind, provinces: ReadonlySet<string>, decimalComma: boolean): RawNik {
  switch (kind) {
    case 'EMPTY': {
      const raw = rng.pickWeighted<string>([['', 8], [' ', 1], ['-', 1]]);
      return { raw, clean: '', invalid: 'EMPTY', surviving: null };
    }
    case 'EXCEL_SCIENTIFIC':
      return scientific(nik, rng.chance(0.8) ? 6 : rng.range(7, 9), decimalComma);
    case 'LENGTH': {
      const form = rng.pickWeighted<string>([['drop', 75], ['add', 18], ['truncate', 7]]);
      let raw: string;
      if (form === 'drop') {
        const at = rng.int(16);
        raw = nik.slice(0, at) + nik.slice(at + 1);
      } else if (form === 'add') {
        const at = rng.int(17);
        raw = nik.slice(0, at) + String(rng.int(10)) + nik.slice(at);
      } else {
        raw = nik.slice(0, rng.range(12, 14));
      }
      return { raw, clean: raw, invalid: 'LENGTH', surviving: null };
    }
    case 'PROVINCE': {
      const options = NON_PROVINCE_CANDIDATES.filter((p) => !provinces.has(p));
      const raw = rng.pick(options) + nik.slice(2);
      return { raw, clean: raw, invalid: 'PROVINCE', surviving: null };
    }
    case 'BIRTHDATE': {
      for (;;) {
        const form = rng.int(4);
        let raw: string;
        const dd = nik.slice(6, 8);
        const mm = nik.slice(8, 10);
        if (form === 0) raw = nik.slice(0, 6) + String(rng.range(32, 40)) + nik.slice(8);
        else if (form === 1) raw = nik.slice(0, 6) + String(rng.range(72, 99)) + nik.slice(8);
        else if (form === 2) raw = nik.slice(0, 8) + String(rng.range(13, 19)) + nik.slice(10);
        else raw = nik.slice(0, 6) + mm + dd + nik.slice(10); // day and month written the other way round
        if (!nikDatePlausible(raw)) return { raw, clean: raw, invalid: 'BIRTHDATE', surviving: null };
      }
    }
    case 'SERIAL': {
      const raw = `${nik.slice(0, 12)}0000`;
      return { raw, clean: raw, invalid: 'SERIAL', surviving: null };
    }
  }
}

const FULL_WIDTH_ZERO = 0xff10;

/** A raw form of a valid NIK that cleaning turns back into the same 16 digits. */
export function cosmeticVariant(rng: Rng, nik: string): string {
  switch (rng.int(11)) {
    case 0:
      return rng.pick([` ${nik} `, `${nik} `, `  ${nik}`]);
    case 1:
      return rng.pick([`\u00a0${nik}`, `${nik}\u00a0`, `\u00a0${nik}\u00a0`]);
    case 2:
      return `="${nik}"`;
    case 3:
      return `'${nik}`;
    case 4:
      return rng.pick([`NIK: ${nik}`, `NIK ${nik}`, `NIK:${nik}`, `nik: ${nik}`]);
    case 5:
      return `${nik}.0`;
    case 6:
      return `${nik.slice(0, 4)}.${nik.slice(4, 8)}.${nik.slice(8, 12)}.${nik.slice(12)}`;
    case 7:
      return `${nik.slice(0, 4)} ${nik.slice(4, 8)} ${nik.slice(8, 12)} ${nik.slice(12)}`;
    case 8:
      return rng.pick([
        `${nik.slice(0, 4)}-${nik.slice(4, 8)}-${nik.slice(8, 12)}-${nik.slice(12)}`,
        `${nik.slice(0, 2)}.${nik.slice(2, 4)}.${nik.slice(4, 6)}.${nik.slice(6, 12)}.${nik.slice(12)}`,
      ]);
    case 9:
      return [...nik].map((c) => String.fromCharCode(FULL_WIDTH_ZERO + c.charCodeAt(0) - 48)).join('');
    default:
      return ` '${nik}`;
  }
}

/** One changed digit or one swap of two different adjacent digits (not necessarily valid). */
export function typo(rng: Rng, nik: string, lastDigit = false): string {
  if (lastDigit || rng.chance(0.6)) {
    const at = lastDigit ? 15 : rng.int(16);
    const old = nik.charCodeAt(at) - 48;
    const digit = (old + 1 + rng.int(9)) % 10;
    return nik.slice(0, at) + String(digit) + nik.slice(at + 1);
  }
  for (;;) {
    const at = rng.int(15);
    if (nik[at] === nik[at + 1]) continue;
    return nik.slice(0, at) + (nik[at + 1] as string) + (nik[at] as string) + nik.slice(at + 2);
  }
}

/** Every NIK one substitution or one adjacent swap away from `nik`. */
export function* neighbours(nik: string): Generator<string> {
  for (let i = 0; i < nik.length; i++) {
    const old = nik.charCodeAt(i) - 48;
    for (let d = 0; d < 10; d++) if (d !== old) yield nik.slice(0, i) + String(d) + nik.slice(i + 1);
  }
  for (let i = 0; i + 1 < nik.length; i++) {
    if (nik[i] !== nik[i + 1]) yield nik.slice(0, i) + (nik[i + 1] as string) + (nik[i] as string) + nik.slice(i + 2);
  }
}

/**
 * Whether DTKS NIK `candidate` could be what the damaged `rec` was meant to be (the "near" rule of
 * NIK suggestions): 16 digits → one substitution or one adjacent swap; 15 → one deletion; 10–14 →
 * a prefix; scientific → starts with the mantissa digits (at least 6).
 */
export function isNear(rec: { clean: string; surviving: string | null }, candidate: string): boolean {
  if (rec.surviving !== null) return rec.surviving.length >= 6 && candidate.startsWith(rec.surviving);
  const n = rec.clean;
  if (!DIGITS.test(n)) return false;
  if (n.length === 16) {
    const diffs: number[] = [];
    for (let i = 0; i < 16; i++) {
      if (n[i] !== candidate[i]) {
        diffs.push(i);
        if (diffs.length > 2) return false;
      }
    }
    if (diffs.length === 1) return true;
    if (diffs.length !== 2) return false;
    const [i, j] = diffs as [number, number];
    return j === i + 1 && n[i] === candidate[j] && n[j] === candidate[i];
  }
  if (n.length === 15) {
    for (let at = 0; at < 16; at++) if (candidate.slice(0, at) + candidate.slice(at + 1) === n) return true;
    return false;
  }
  if (n.length >= 10 && n.length <= 14) return candidate.startsWith(n);
  return false;
}
