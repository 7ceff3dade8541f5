import type { DtksPerson } from '@padan/core';
import type { BaseResult } from '../port/match-state.js';
import type { Source } from '@padan/contracts';

/**
 * Packed encodings of the match state: one string per DTKS person and per base result instead of
 * an object graph. In memory that is several times smaller (one string instead of a dozen objects
 * and arrays), and it is the value format of the Redis state, so both adapters share it.
 * Fields are separated by U+001F, list items by U+001E, the persons of a NIK by U+001D (a group
 * value starts with U+001C); those control characters are replaced by spaces in the text they
 * separate (they never occur in real names or NIKs).
 */
export const F = '\u001f';
export const L = '\u001e';
/** Separates the packed persons of one NIK group. */
export const G = '\u001d';
// Every separator the packed formats use (U+001C group value mark, G, L, F): a name holding one
// would otherwise split a NIK group or a person.
const CONTROL = /[\u001c-\u001f]/g;

export function clean(s: string | null): string {
  return s === null ? '' : s.replace(CONTROL, ' ');
}

export function opt(s: string): string | null {
  return s === '' ? null : s;
}

/**
 * A DTKS person without its NIK: the NIK is the key it is stored under (a hash field, a map key, a
 * NIK's member list), so it is not stored again (16 bytes of every DTKS row in Redis). Nor its No.
 * KK: reconciliation never reads a DTKS row's No. KK (the No. KK index answers by KK), so the index
 * gives persons back with `noKk` null, in both adapters.
 */
export function packPerson(p: DtksPerson): string {
  return [
    clean(p.nikRaw === p.nik ? '' : p.nikRaw),
    clean(p.file),
    String(p.row),
    clean(p.householdId),
    '', // the No. KK's place: not kept (see above)
    clean(p.nama),
    // Most names are already their own key (upper case, no titles): store it once.
    p.nameKey === p.nama ? '\u0000' : clean(p.nameKey),
    p.birthDate ?? '',
    p.regency ?? '',
    p.deceased ? '1' : '',
    p.warnings.join(L),
  ].join(F);
}

/** The person packed by packPerson, stored under `nik`. */
export function unpackPerson(nik: string, s: string): DtksPerson {
  const f = s.split(F);
  return {
    nik,
    nikRaw: f[0] || nik,
    file: f[1] ?? '',
    row: Number(f[2]),
    householdId: opt(f[3] ?? ''),
    noKk: null,
    nama: opt(f[5] ?? ''),
    nameKey: f[6] === '\u0000' ? (f[5] ?? '') : (f[6] ?? ''),
    birthDate: opt(f[7] ?? ''),
    regency: opt(f[8] ?? ''),
    deceased: f[9] === '1',
    warnings: f[10] ? f[10].split(L) : [],
  };
}

const FORMATS = ['csv', 'xlsx', 'jsonl'] as const;

/**
 * A base result without its identity: period, source, file and row are the map key's (see
 * `recordKey`), so they are not stored again.
 */
export function packBase(b: BaseResult): string {
  return [
    b.runId,
    String(FORMATS.indexOf(b.format)),
    clean(b.nikRaw === b.nik ? '' : b.nikRaw),
    clean(b.nik),
    b.nikValid ? '1' : '',
    clean(b.nama),
    b.reasons.join(L),
    b.details.map(clean).join(L),
    b.warnings.join(L),
    b.suggestedNik ?? '',
    clean(b.householdId),
    b.regency ?? '',
    b.notChecked.join(L),
    clean(b.family),
  ].join(F);
}

function list<T extends string>(s: string | undefined): T[] {
  return s ? (s.split(L) as T[]) : [];
}

/** Splits a record key `period/source/file#row` back into its parts. */
export function parseRecordKey(key: string): { period: string; source: string; file: string; row: number } {
  const a = key.indexOf('/');
  const b = key.indexOf('/', a + 1);
  const hash = key.lastIndexOf('#');
  return { period: key.slice(0, a), source: key.slice(a + 1, b), file: key.slice(b + 1, hash), row: Number(key.slice(hash + 1)) };
}

export function unpackBase(key: string, s: string): BaseResult {
  const f = s.split(F);
  const id = parseRecordKey(key);
  const nik = f[3] ?? '';
  return {
    key,
    period: id.period,
    source: id.source as BaseResult['source'],
    file: id.file,
    row: id.row,
    runId: f[0] ?? '',
    format: FORMATS[Number(f[1])] ?? 'csv',
    nikRaw: f[2] || nik,
    nik,
    nikValid: f[4] === '1',
    nama: opt(f[5] ?? ''),
    reasons: list(f[6]),
    details: list(f[7]),
    warnings: list(f[8]),
    suggestedNik: opt(f[9] ?? ''),
    householdId: opt(f[10] ?? ''),
    regency: opt(f[11] ?? ''),
    notChecked: list(f[12]),
    family: opt(f[13] ?? ''),
  };
}

/** Family members `program U+001F record key`, grouped by program. */
export function membersByProgram(entries: Iterable<string>): Map<Source, string[]> {
  const m = new Map<Source, string[]>();
  for (const entry of entries) {
    const at = entry.indexOf(F);
    const program = entry.slice(0, at) as Source;
    const keys = m.get(program);
    if (keys) keys.push(entry.slice(at + 1));
    else m.set(program, [entry.slice(at + 1)]);
  }
  return m;
}
