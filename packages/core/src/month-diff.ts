import type { Reason } from '@padan/contracts';
import { changeIdentity, changeKey } from './change-identity.js';
import { orderReasons } from './findings.js';

/**
 * Comparing two months of one program list: which of the earlier month's findings were fixed, which
 * records left the list, what is new, what persists and what changed.
 *
 * Records are matched by key (program + `changeIdentity`), never by file or row. A key that occurs
 * several times in one month (a repeated record: the repeats are DUPLICATE_IN_PROGRAM findings
 * themselves) is one row of the comparison: its reasons are the union of its flagged records'
 * reasons, in precedence order, and the row says how many flagged records it stands for. So a
 * repeat removed next month, its first record clean, shows as `fixed`; a repeat added shows as `new`
 * or `changed`.
 */

export const CHANGE_CATEGORIES = ['fixed', 'removed', 'new', 'persisting', 'changed'] as const;
export type ChangeCategory = (typeof CHANGE_CATEGORIES)[number];

/** A flagged program record of one month, as a snapshot's findings hold it. */
export interface FlaggedRecord {
  readonly program: string;
  /** The cleaned NIK when valid, '' when the NIK is invalid. */
  readonly nik: string;
  readonly nikRaw: string;
  readonly nama: string;
  readonly reasons: readonly Reason[];
  /** Kemendagri regency code (4 digits), '' when unknown. */
  readonly regency: string;
}

export interface ChangeRow {
  readonly program: string;
  /** `changeIdentity` of the key: what a keyed hash of the row is computed over. */
  readonly identity: string;
  /** The valid NIK, '' when the key is an invalid NIK's. */
  readonly nik: string;
  /** The raw NIK as cleaned so far (equal to `nik` when valid). */
  readonly nikCleaned: string;
  /** The later month's regency when flagged then, else the earlier month's; '' when unknown. */
  readonly regency: string;
  readonly category: ChangeCategory;
  readonly reasonsBefore: readonly Reason[];
  readonly reasonsAfter: readonly Reason[];
  /** Flagged records of the key in each month (more than 1: repeated records). */
  readonly recordsBefore: number;
  readonly recordsAfter: number;
}

export interface ChangeTotal {
  readonly program: string;
  readonly regency: string;
  readonly counts: Readonly<Record<ChangeCategory, number>>;
}

export interface MonthDiff {
  /** Sorted by program, regency, category (in CHANGE_CATEGORIES order), then identity. */
  readonly rows: readonly ChangeRow[];
  /** Sorted by program, then regency. */
  readonly totals: readonly ChangeTotal[];
}

interface KeyFindings {
  readonly program: string;
  readonly identity: string;
  readonly nik: string;
  readonly nikCleaned: string;
  regency: string;
  reasons: Reason[];
  records: number;
}

/** Flagged records folded by key. Memory grows with the findings, not with the listed records. */
export function foldByKey(records: Iterable<FlaggedRecord>): Map<string, KeyFindings> {
  const out = new Map<string, KeyFindings>();
  for (const r of records) {
    const identity = changeIdentity(r.nik, r.nikRaw, r.nama);
    const key = changeKey(r.program, identity);
    const seen = out.get(key);
    if (seen === undefined) {
      const nikCleaned = r.nik !== '' ? r.nik : identity.slice(0, identity.indexOf('\u0000'));
      out.set(key, { program: r.program, identity, nik: r.nik, nikCleaned, regency: r.regency, reasons: orderReasons(r.reasons), records: 1 });
    } else {
      seen.reasons = orderReasons([...seen.reasons, ...r.reasons]);
      seen.records++;
      // The first record that names a regency decides it, so the row does not depend on which repeat came last.
      if (seen.regency === '') seen.regency = r.regency;
    }
  }
  return out;
}

function sameReasons(a: readonly Reason[], b: readonly Reason[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

const CATEGORY_RANK = new Map<ChangeCategory, number>(CHANGE_CATEGORIES.map((c, i) => [c, i]));

function compareRows(a: ChangeRow, b: ChangeRow): number {
  if (a.program !== b.program) return a.program < b.program ? -1 : 1;
  if (a.regency !== b.regency) return a.regency < b.regency ? -1 : 1;
  const c = (CATEGORY_RANK.get(a.category) as number) - (CATEGORY_RANK.get(b.category) as number);
  if (c !== 0) return c;
  return a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0;
}

/**
 * The comparison of an earlier month with a later one. `listedAfter(key)` says whether the later
 * month lists a record with that key (`changeKey(program, identity)`), flagged or clean; it is asked
 * only for keys flagged in the earlier month and not in the later one.
 */
export function monthDiff(before: Iterable<FlaggedRecord>, after: Iterable<FlaggedRecord>, listedAfter: (key: string) => boolean): MonthDiff {
  const earlier = foldByKey(before);
  const later = foldByKey(after);
  const rows: ChangeRow[] = [];
  for (const [key, b] of earlier) {
    const a = later.get(key);
    if (a === undefined) {
      const category: ChangeCategory = listedAfter(key) ? 'fixed' : 'removed';
      rows.push({ ...common(b, b.regency), category, reasonsBefore: b.reasons, reasonsAfter: [], recordsBefore: b.records, recordsAfter: 0 });
    } else {
      const category: ChangeCategory = sameReasons(b.reasons, a.reasons) ? 'persisting' : 'changed';
      rows.push({ ...common(b, a.regency !== '' ? a.regency : b.regency), category, reasonsBefore: b.reasons, reasonsAfter: a.reasons, recordsBefore: b.records, recordsAfter: a.records });
    }
  }
  for (const [key, a] of later) {
    if (earlier.has(key)) continue;
    rows.push({ ...common(a, a.regency), category: 'new', reasonsBefore: [], reasonsAfter: a.reasons, recordsBefore: 0, recordsAfter: a.records });
  }
  rows.sort(compareRows);
  return { rows, totals: totalsOf(rows) };
}

function common(k: KeyFindings, regency: string): Pick<ChangeRow, 'program' | 'identity' | 'nik' | 'nikCleaned' | 'regency'> {
  return { program: k.program, identity: k.identity, nik: k.nik, nikCleaned: k.nikCleaned, regency };
}

/** Counts per program and regency, over rows already sorted by program then regency. */
function totalsOf(rows: readonly ChangeRow[]): ChangeTotal[] {
  const totals: ChangeTotal[] = [];
  let current: { program: string; regency: string; counts: Record<ChangeCategory, number> } | null = null;
  for (const r of rows) {
    if (current === null || current.program !== r.program || current.regency !== r.regency) {
      current = { program: r.program, regency: r.regency, counts: { fixed: 0, removed: 0, new: 0, persisting: 0, changed: 0 } };
      totals.push(current);
    }
    current.counts[r.category]++;
  }
  return totals;
}
