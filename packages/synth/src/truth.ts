import { nameKey, namesMatch } from '@padan/core';
import { isNear } from './nik-tools.js';
import type { RawNik } from './nik-tools.js';
import type { Population } from './population.js';

/**
 * The expected findings, computed from what the generator wrote (clean values known by
 * construction) with the rules padan documents. Written independently of padan's pipeline code;
 * only the name rule (`nameKey`/`namesMatch`) is padan's own, because "same person" is defined by it.
 */

export const REASON_ORDER = [
  'INVALID_NIK',
  'NOT_IN_DTKS',
  'DECEASED',
  'NAME_MISMATCH',
  'BIRTHDATE_MISMATCH',
  'REGION_MISMATCH',
  'PROGRAM_CONFLICT',
  'DUPLICATE_IN_PROGRAM',
  'DUPLICATE_IN_DTKS',
] as const;
export type Reason = (typeof REASON_ORDER)[number];

export interface TruthRow {
  readonly program: string;
  readonly file: string;
  readonly row: number;
  readonly reasons: Reason[];
  readonly details: string[];
  readonly suggested: string;
  readonly warnings: string[];
}

export function orderReasons(reasons: Iterable<Reason>): Reason[] {
  return [...new Set(reasons)].sort((a, b) => REASON_ORDER.indexOf(a) - REASON_ORDER.indexOf(b));
}

export function orderDetails(details: Iterable<string>): string[] {
  const rank = (d: string): number => REASON_ORDER.indexOf(d.slice(0, d.indexOf(':')) as Reason);
  return [...new Set(details)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Lookups over the written DTKS file: only rows with a valid NIK are "in DTKS". */
export class DtksIndex {
  /** NIK → DTKS rows (population indexes) in file order. */
  readonly byNik = new Map<string, number | number[]>();
  /** Clean No. KK → household index (of DTKS rows with a valid NIK). */
  readonly kkHousehold = new Map<string, number>();
  /** Valid rows sorted by birth day (then file row), and their birth days. */
  readonly birthRows: Int32Array;
  readonly birthDays: Int32Array;
  /** nameKey by name text (names are interned, so there are few distinct ones). */
  private readonly keyCache = new Map<string, string>();

  constructor(readonly pop: Population, fileOrder: Int32Array) {
    let valid = 0;
    for (const r of fileOrder) {
      if (!pop.isValid(r)) continue;
      valid++;
      const nik = pop.nik[r] as string;
      const got = this.byNik.get(nik);
      if (got === undefined) this.byNik.set(nik, r);
      else if (typeof got === 'number') this.byNik.set(nik, [got, r]);
      else got.push(r);
      const h = pop.rowHh[r] as number;
      if (pop.hhKkValid[h]) {
        const kk = pop.hhKk[h] as string;
        const prev = this.kkHousehold.get(kk);
        if (prev === undefined || (pop.hhId[h] as string) < (pop.hhId[prev] as string)) this.kkHousehold.set(kk, h);
      }
    }
    const rows = new Int32Array(valid);
    let i = 0;
    for (const r of fileOrder) if (pop.isValid(r)) rows[i++] = r;
    // Stable by file order: sort indexes by birth day.
    const days = pop.birth;
    const sorted = Array.from(rows).sort((a, b) => (days[a] as number) - (days[b] as number) || (pop.fileRow[a] as number) - (pop.fileRow[b] as number));
    this.birthRows = Int32Array.from(sorted);
    this.birthDays = Int32Array.from(sorted, (r) => days[r] as number);
  }

  rowsOfNik(nik: string): readonly number[] {
    const got = this.byNik.get(nik);
    if (got === undefined) return [];
    return typeof got === 'number' ? [got] : got;
  }

  has(nik: string): boolean {
    return this.byNik.has(nik);
  }

  key(r: number): string {
    const name = this.pop.name[r] as string;
    let k = this.keyCache.get(name);
    if (k === undefined) {
      k = nameKey(name);
      if (this.keyCache.size >= 500_000) this.keyCache.clear();
      this.keyCache.set(name, k);
    }
    return k;
  }

  /** Valid DTKS rows born on `day`. */
  bornOn(day: number): number[] {
    const d = this.birthDays;
    let lo = 0;
    let hi = d.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((d[mid] as number) < day) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < d.length && d[i] === day; i++) out.push(this.birthRows[i] as number);
    return out;
  }
}

/** What the generator knows about one written program record. */
export interface RecordFacts {
  readonly nik: RawNik;
  /** nameKey of the written name, or null when empty / no name column. */
  readonly nameKey: string | null;
  /** Birth day written, or null when the file has no birth-date column. */
  readonly birth: number | null;
  /** Regency (4 digits) of the written region code, or null when the file has no such column. */
  readonly regency: string | null;
  /** Clean No. KK written, or null. */
  readonly kk: string | null;
}

export interface RecordVerdict {
  reasons: Reason[];
  details: string[];
  warnings: string[];
  suggested: string;
  family: string | null;
  /** The valid NIK, for duplicate detection (null when invalid). */
  validNik: string | null;
}

export interface RegionSets {
  readonly knownRegencies: ReadonlySet<string>;
  readonly knownKecamatan: ReadonlySet<string>;
}

export function nikRegionUnknown(nik: string, regions: RegionSets): boolean {
  return !regions.knownRegencies.has(nik.slice(0, 4)) || !regions.knownKecamatan.has(nik.slice(0, 6));
}

/** The record-level rules: NIK validity, presence in DTKS, deceased, name, birth date, region; suggestion; family. */
export function evaluateRecord(idx: DtksIndex, f: RecordFacts): RecordVerdict {
  const pop = idx.pop;
  const reasons: Reason[] = [];
  const details: string[] = [];
  const warnings: string[] = [];
  let matched = -1;
  let validNik: string | null = null;
  if (f.nik.invalid !== null) {
    reasons.push('INVALID_NIK');
    details.push(`INVALID_NIK:${f.nik.invalid}`);
  } else {
    validNik = f.nik.clean;
    if (nikRegionUnknown(validNik, pop.regions)) warnings.push('NIK_REGION_UNKNOWN');
    const rows = idx.rowsOfNik(validNik);
    if (rows.length === 0) {
      reasons.push('NOT_IN_DTKS');
    } else {
      if (rows.length > 1) warnings.push('NIK_MULTIPLE_IN_DTKS');
      matched = rows[0] as number;
      let nameOk = true;
      if (f.nameKey !== null) {
        const key = f.nameKey;
        const byName = rows.find((r) => namesMatch(key, idx.key(r)));
        if (byName !== undefined) matched = byName;
        else nameOk = false;
      }
      if (pop.deceased(matched)) reasons.push('DECEASED');
      if (!nameOk) {
        reasons.push('NAME_MISMATCH');
      } else {
        if (f.birth !== null && f.birth !== pop.birth[matched]) reasons.push('BIRTHDATE_MISMATCH');
        if (f.regency !== null && f.regency !== pop.regencyOf(matched)) reasons.push('REGION_MISMATCH');
      }
    }
  }
  let suggested = '';
  if ((f.nik.invalid !== null || matched < 0) && f.birth !== null && f.nameKey !== null) {
    suggested = suggestion(idx, f.nik, f.nameKey, f.birth);
  }
  let family: string | null = null;
  if (matched >= 0) family = `H:${pop.hhId[pop.rowHh[matched] as number] as string}`;
  else if (f.kk !== null) {
    const h = idx.kkHousehold.get(f.kk);
    family = h !== undefined ? `H:${pop.hhId[h] as string}` : `K:${f.kk}`;
  }
  return { reasons, details, warnings, suggested, family, validNik };
}

/** The one DTKS NIK born the same day, near the written NIK, with a matching name; '' when none or several. */
export function suggestion(idx: DtksIndex, nik: RawNik, key: string, birth: number): string {
  let found = '';
  for (const r of idx.bornOn(birth)) {
    const cand = idx.pop.nik[r] as string;
    if (cand === nik.clean || !isNear(nik, cand) || !namesMatch(key, idx.key(r))) continue;
    if (found !== '' && found !== cand) return '';
    found = cand;
  }
  return found;
}

/** DUPLICATE_IN_DTKS detail: SAME_PERSON when every pair's names match and birth dates agree. */
export function dtksDuplicateDetail(idx: DtksIndex, rows: readonly number[]): 'SAME_PERSON' | 'DIFFERENT_PERSON' {
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i] as number;
      const b = rows[j] as number;
      if (!namesMatch(idx.key(a), idx.key(b))) return 'DIFFERENT_PERSON';
      if (idx.pop.birth[a] !== idx.pop.birth[b]) return 'DIFFERENT_PERSON';
    }
  }
  return 'SAME_PERSON';
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export const TRUTH_HEADER = ['program', 'source_file', 'source_row', 'reasons', 'details', 'suggested_nik', 'warnings'] as const;

export function compareTruth(a: { program: string; file: string; row: number }, b: { program: string; file: string; row: number }): number {
  if (a.program !== b.program) return a.program < b.program ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.row - b.row;
}

export function truthLine(t: TruthRow): string {
  return [t.program, t.file, String(t.row), t.reasons.join(';'), t.details.join(';'), t.suggested, t.warnings.join(';')].map(csvField).join(',');
}
