import { describe, expect, it } from 'vitest';
import type { Reason } from '@padan/contracts';
import { changeIdentity, changeKey } from './change-identity.js';
import { monthDiff } from './month-diff.js';
import type { FlaggedRecord } from './month-diff.js';

const A = '1571014506850001';
const B = '1571010101900002';
const C = '1504016607800003';
const D = '1502012212700004';

function rec(nik: string, reasons: Reason[], over: Partial<FlaggedRecord> = {}): FlaggedRecord {
  return { program: 'PKH', nik, nikRaw: nik, nama: 'SITI AMINAH', reasons, regency: '1571', ...over };
}

describe('monthDiff', () => {
  it('puts every earlier and later finding in one category', () => {
    const before = [rec(A, ['NAME_MISMATCH']), rec(B, ['DECEASED']), rec(C, ['BIRTHDATE_MISMATCH']), rec(D, ['REGION_MISMATCH'])];
    const after = [rec(C, ['BIRTHDATE_MISMATCH']), rec(D, ['REGION_MISMATCH', 'DUPLICATE_IN_PROGRAM']), rec('1571015001990005', ['NOT_IN_DTKS'])];
    const listed = new Set([changeKey('PKH', A)]);
    const diff = monthDiff(before, after, (k) => listed.has(k));
    const byNik = new Map(diff.rows.map((r) => [r.nik, r]));
    expect(byNik.get(A)?.category).toBe('fixed');
    expect(byNik.get(B)?.category).toBe('removed');
    expect(byNik.get(C)?.category).toBe('persisting');
    expect(byNik.get(D)).toMatchObject({ category: 'changed', reasonsBefore: ['REGION_MISMATCH'], reasonsAfter: ['REGION_MISMATCH', 'DUPLICATE_IN_PROGRAM'] });
    expect(byNik.get('1571015001990005')).toMatchObject({ category: 'new', reasonsBefore: [], reasonsAfter: ['NOT_IN_DTKS'] });
    expect(diff.totals).toEqual([{ program: 'PKH', regency: '1571', counts: { fixed: 1, removed: 1, new: 1, persisting: 1, changed: 1 } }]);
  });

  it('asks the later month only about keys flagged before and not after', () => {
    const asked: string[] = [];
    monthDiff([rec(A, ['DECEASED']), rec(B, ['DECEASED'])], [rec(B, ['DECEASED'])], (k) => (asked.push(k), false));
    expect(asked).toEqual([changeKey('PKH', A)]);
  });

  it('keys by program: the same NIK in two programs is two rows', () => {
    const diff = monthDiff([rec(A, ['DECEASED']), rec(A, ['DECEASED'], { program: 'BST' })], [rec(A, ['DECEASED'])], () => false);
    expect(diff.rows.map((r) => [r.program, r.category])).toEqual([['BST', 'removed'], ['PKH', 'persisting']]);
  });

  it('never keys by file or row: a record that moved rows is the same record', () => {
    const diff = monthDiff([rec(A, ['DECEASED'])], [rec(A, ['DECEASED'])], () => false);
    expect(diff.rows).toHaveLength(1);
    expect(diff.rows[0]?.category).toBe('persisting');
  });

  it('keys an invalid NIK by the NIK as cleaned so far and the name key', () => {
    const bad = (raw: string, nama: string) => rec('', ['INVALID_NIK'], { nikRaw: raw, nama });
    // The same damaged NIK written differently, and a spelling of the same name: the same key.
    const diff = monthDiff([bad('157101450685', 'Siti Aminah'), bad('', 'BUDI')], [bad(" '1571-0145-0685 ", 'SITI AMINAH, S.Pd'), bad('', 'ANI')], () => false);
    expect(diff.rows.map((r) => [r.nikCleaned, r.category])).toEqual([
      ['', 'removed'],
      ['', 'new'],
      ['157101450685', 'persisting'],
    ]);
    expect(changeIdentity('', '157101450685', 'Siti Aminah')).toBe(changeIdentity('', "'1571-0145-0685", ' siti aminah '));
    expect(changeIdentity('', '', 'BUDI')).not.toBe(changeIdentity('', '', 'ANI'));
  });

  it('folds a key that occurs twice in a month into one row with the union of reasons', () => {
    // Before: the first record flagged NAME_MISMATCH, its repeat DUPLICATE_IN_PROGRAM (and NAME_MISMATCH).
    const before = [rec(A, ['NAME_MISMATCH']), rec(A, ['NAME_MISMATCH', 'DUPLICATE_IN_PROGRAM'])];
    const after = [rec(A, ['NAME_MISMATCH'])];
    const diff = monthDiff(before, after, () => true);
    expect(diff.rows).toEqual([
      expect.objectContaining({ category: 'changed', reasonsBefore: ['NAME_MISMATCH', 'DUPLICATE_IN_PROGRAM'], reasonsAfter: ['NAME_MISMATCH'], recordsBefore: 2, recordsAfter: 1 }),
    ]);
    // A repeat whose first record is clean: dropping the repeat fixes the key.
    const fixed = monthDiff([rec(B, ['DUPLICATE_IN_PROGRAM'])], [], () => true);
    expect(fixed.rows[0]?.category).toBe('fixed');
  });

  it('takes the later regency of a key flagged in both months, and totals per program and regency', () => {
    const diff = monthDiff([rec(A, ['DECEASED'], { regency: '1501' }), rec(B, ['DECEASED'], { regency: '' })], [rec(A, ['DECEASED'], { regency: '1502' })], () => false);
    expect(diff.rows.map((r) => [r.regency, r.category])).toEqual([['', 'removed'], ['1502', 'persisting']]);
    expect(diff.totals.map((t) => [t.regency, t.counts.removed, t.counts.persisting])).toEqual([['', 1, 0], ['1502', 0, 1]]);
  });

  it('gives the same rows whatever the order of the records', () => {
    const before = [rec(A, ['DECEASED']), rec(B, ['NAME_MISMATCH']), rec(C, ['DECEASED'], { program: 'BST', regency: '1504' })];
    const after = [rec(D, ['NOT_IN_DTKS']), rec(B, ['NAME_MISMATCH', 'DECEASED'])];
    const one = monthDiff(before, after, () => true);
    const two = monthDiff([...before].reverse(), [...after].reverse(), () => true);
    expect(two).toEqual(one);
  });
});
