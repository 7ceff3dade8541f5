import type { DtksPerson } from '@padan/core';
import type { BaseResult } from './match-state.js';

/**
 * Packed encodings of the match state: one string per DTKS person and per base result instead of
 * an object graph. In memory that is several times smaller (one string instead of a dozen objects
 * and arrays), and it is the value format of the Redis state, so both adapters share it.
 * Fields are separated by U+001F and list items by U+001E; those control characters are replaced
 * by spaces in the text they separate (they never occur in real names or NIKs).
 */
const F = '\u001f';
const L = '\u001e';
const CONTROL = /[\u001e\u001f]/g;

function clean(s: string | null): string {
  return s === null ? '' : s.replace(CONTROL, ' ');
}

function opt(s: string): string | null {
  return s === '' ? null : s;
}

export function packPerson(p: DtksPerson): string {
  return [
    p.nik,
    clean(p.nikRaw === p.nik ? '' : p.nikRaw),
    clean(p.file),
    String(p.row),
    clean(p.householdId),
    clean(p.noKk),
    clean(p.nama),
    clean(p.nameKey),
    p.birthDate ?? '',
    p.regency ?? '',
    p.deceased ? '1' : '',
    p.warnings.join(L),
  ].join(F);
}

export function unpackPerson(s: string): DtksPerson {
  const f = s.split(F);
  const nik = f[0] ?? '';
  return {
    nik,
    nikRaw: f[1] || nik,
    file: f[2] ?? '',
    row: Number(f[3]),
    householdId: opt(f[4] ?? ''),
    noKk: opt(f[5] ?? ''),
    nama: opt(f[6] ?? ''),
    nameKey: f[7] ?? '',
    birthDate: opt(f[8] ?? ''),
    regency: opt(f[9] ?? ''),
    deceased: f[10] === '1',
    warnings: f[11] ? f[11].split(L) : [],
  };
}

const FORMATS = ['csv', 'xlsx', 'jsonl'] as const;

export function packBase(b: BaseResult): string {
  return [
    b.key,
    b.period,
    b.source,
    clean(b.file),
    String(b.row),
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

export function unpackBase(s: string): BaseResult {
  const f = s.split(F);
  const nik = f[8] ?? '';
  return {
    key: f[0] ?? '',
    period: f[1] ?? '',
    source: f[2] as BaseResult['source'],
    file: f[3] ?? '',
    row: Number(f[4]),
    runId: f[5] ?? '',
    format: FORMATS[Number(f[6])] ?? 'csv',
    nikRaw: f[7] || nik,
    nik,
    nikValid: f[9] === '1',
    nama: opt(f[10] ?? ''),
    reasons: list(f[11]),
    details: list(f[12]),
    warnings: list(f[13]),
    suggestedNik: opt(f[14] ?? ''),
    householdId: opt(f[15] ?? ''),
    regency: opt(f[16] ?? ''),
    notChecked: list(f[17]),
    family: opt(f[18] ?? ''),
  };
}
