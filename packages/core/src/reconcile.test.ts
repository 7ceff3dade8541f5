import type { NormalizedRecord } from '@padan/contracts';
import { describe, expect, it } from 'vitest';
import type { DtksPerson } from './dtks-person.js';
import { nameKey } from './name-key.js';
import { familyKey, reconcileRecord } from './reconcile.js';
import { dtksDuplicateDetail } from './dtks-duplicates.js';

const NIK = '1571011203850001';

function rec(over: Partial<NormalizedRecord> = {}): NormalizedRecord {
  const nama = over.nama === undefined ? 'MUHAMMAD YUSUF' : over.nama;
  return {
    row: 1,
    nikRaw: NIK,
    nik: NIK,
    nikInvalid: null,
    nikSex: 'L',
    nikBirthDate: '1985-03-12',
    noKk: '1571010101100001',
    nama,
    nameKey: nama === null ? null : nameKey(nama),
    birthDate: '1985-03-12',
    kodeWilayah: '1571011001',
    regency: '1571',
    householdId: null,
    deceased: null,
    warnings: [],
    ...over,
  };
}

function person(over: Partial<DtksPerson> = {}): DtksPerson {
  const nama = over.nama === undefined ? 'MUHAMMAD YUSUF' : over.nama;
  return {
    nik: NIK,
    nikRaw: NIK,
    file: 'dtks.csv',
    row: 1,
    householdId: 'HH-0001',
    noKk: '1571010101100001',
    nama,
    nameKey: nameKey(nama ?? ''),
    birthDate: '1985-03-12',
    regency: '1571',
    deceased: false,
    warnings: [],
    ...over,
  };
}

describe('reconcileRecord', () => {
  it('a record agreeing with its DTKS row has no reasons', () => {
    const p = person();
    expect(reconcileRecord(rec(), [p])).toEqual({ reasons: [], details: [], warnings: [], notChecked: [], matched: p });
  });

  it('an invalid NIK gives only INVALID_NIK with its detail, and is not matched', () => {
    const v = reconcileRecord(rec({ nik: '15710112038500', nikRaw: '15710112038500', nikInvalid: 'LENGTH' }), [person()]);
    expect(v.reasons).toEqual(['INVALID_NIK']);
    expect(v.details).toEqual(['INVALID_NIK:LENGTH']);
    expect(v.matched).toBeNull();
    expect(v.warnings).toEqual([]);
  });

  it('an invalid NIK is not compared even when DTKS rows with the same text are passed (deceased, other name)', () => {
    const v = reconcileRecord(rec({ nikInvalid: 'SERIAL', nama: 'BUDI SANTOSO', birthDate: '1990-01-01', regency: '1501' }), [
      person({ deceased: true }),
    ]);
    expect(v.reasons).toEqual(['INVALID_NIK']);
    expect(v.details).toEqual(['INVALID_NIK:SERIAL']);
  });

  it('each INVALID_NIK detail is carried as INVALID_NIK:<detail>', () => {
    for (const d of ['EMPTY', 'EXCEL_SCIENTIFIC', 'LENGTH', 'PROVINCE', 'BIRTHDATE', 'SERIAL'] as const) {
      expect(reconcileRecord(rec({ nikInvalid: d }), []).details).toEqual([`INVALID_NIK:${d}`]);
    }
  });

  it('a valid NIK not in DTKS → NOT_IN_DTKS only', () => {
    const v = reconcileRecord(rec(), []);
    expect(v.reasons).toEqual(['NOT_IN_DTKS']);
    expect(v.details).toEqual([]);
    expect(v.matched).toBeNull();
  });

  it('several DTKS rows: compared with the row whose name matches, with warning NIK_MULTIPLE_IN_DTKS', () => {
    const other = person({ row: 1, nama: 'SITI AMINAH', birthDate: '1960-01-01', regency: '1501', householdId: 'HH-0009' });
    const same = person({ row: 2, nama: 'M. YUSUF' });
    const v = reconcileRecord(rec(), [other, same]);
    expect(v.matched).toBe(same);
    expect(v.reasons).toEqual([]);
    expect(v.warnings).toEqual(['NIK_MULTIPLE_IN_DTKS']);
  });

  it('several DTKS rows: the matching row\'s deceased status counts, not the first row\'s', () => {
    const other = person({ row: 1, nama: 'SITI AMINAH', deceased: false });
    const same = person({ row: 2, deceased: true });
    const v = reconcileRecord(rec(), [other, same]);
    expect(v.matched).toBe(same);
    expect(v.reasons).toEqual(['DECEASED']);
  });

  it('several DTKS rows where the first matches by name: a single row is not warned about', () => {
    expect(reconcileRecord(rec(), [person()]).warnings).toEqual([]);
  });

  it('no row\'s name matches → NAME_MISMATCH', () => {
    const v = reconcileRecord(rec({ nama: 'BUDI SANTOSO' }), [person()]);
    expect(v.reasons).toEqual(['NAME_MISMATCH']);
  });

  it('NAME_MISMATCH with several rows, none matching', () => {
    const v = reconcileRecord(rec({ nama: 'BUDI SANTOSO' }), [person({ row: 1 }), person({ row: 2, nama: 'SITI AMINAH' })]);
    expect(v.reasons).toEqual(['NAME_MISMATCH']);
    expect(v.warnings).toEqual(['NIK_MULTIPLE_IN_DTKS']);
  });

  it('NAME_MISMATCH: DECEASED is still reported', () => {
    const v = reconcileRecord(rec({ nama: 'BUDI SANTOSO' }), [person({ deceased: true })]);
    expect(v.reasons).toContain('DECEASED');
    expect(v.reasons).toContain('NAME_MISMATCH');
  });

  it('NAME_MISMATCH: birth date and region are not compared', () => {
    const v = reconcileRecord(rec({ nama: 'BUDI SANTOSO', birthDate: '1970-07-07', regency: '1501', kodeWilayah: '1501012001' }), [person()]);
    expect(v.reasons).toEqual(['NAME_MISMATCH']);
    expect(v.reasons).not.toContain('BIRTHDATE_MISMATCH');
    expect(v.reasons).not.toContain('REGION_MISMATCH');
  });

  it('a spelling variant of the name is not a mismatch (H. MUHAMMAD YUSUF vs MUHAMMAD YUSUF, S.Pd)', () => {
    expect(reconcileRecord(rec({ nama: 'H. MUHAMMAD YUSUF' }), [person({ nama: 'Muhammad Yusuf, S.Pd' })]).reasons).toEqual([]);
  });

  it('DECEASED when DTKS says deceased and the name matches', () => {
    expect(reconcileRecord(rec(), [person({ deceased: true })]).reasons).toEqual(['DECEASED']);
  });

  it('BIRTHDATE_MISMATCH when the recorded birth date differs from DTKS\'s', () => {
    expect(reconcileRecord(rec({ birthDate: '1985-03-13' }), [person()]).reasons).toEqual(['BIRTHDATE_MISMATCH']);
  });

  it('BIRTHDATE_MISMATCH compares with DTKS\'s birth date, not the NIK\'s: equal to DTKS but not to the NIK is no mismatch', () => {
    const v = reconcileRecord(rec({ birthDate: '1986-01-01', nikBirthDate: '1985-03-12' }), [person({ birthDate: '1986-01-01' })]);
    expect(v.reasons).toEqual([]);
  });

  it('BIRTHDATE_MISMATCH compares with DTKS\'s birth date, not the NIK\'s: equal to the NIK but not to DTKS is a mismatch', () => {
    const v = reconcileRecord(rec({ birthDate: '1985-03-12', nikBirthDate: '1985-03-12' }), [person({ birthDate: '1986-01-01' })]);
    expect(v.reasons).toEqual(['BIRTHDATE_MISMATCH']);
  });

  it('REGION_MISMATCH when the regency of the domicile differs from DTKS\'s', () => {
    const v = reconcileRecord(rec({ kodeWilayah: '1501012001', regency: '1501' }), [person({ regency: '1571' })]);
    expect(v.reasons).toEqual(['REGION_MISMATCH']);
  });

  it('REGION_MISMATCH compares the domicile regency, not the NIK region: NIK from 15.71, both domiciles in 15.01 → no mismatch', () => {
    const v = reconcileRecord(rec({ kodeWilayah: '1501012001', regency: '1501' }), [person({ regency: '1501' })]);
    expect(v.reasons).toEqual([]);
  });

  it('REGION_MISMATCH ignores the NIK region: NIK from 15.71, domiciles in different regencies → mismatch', () => {
    const v = reconcileRecord(rec({ kodeWilayah: '1571011001', regency: '1571' }), [person({ regency: '1572' })]);
    expect(v.reasons).toEqual(['REGION_MISMATCH']);
  });

  it('a different village in the same regency is not a mismatch', () => {
    const v = reconcileRecord(rec({ kodeWilayah: '1571021005', regency: '1571' }), [person({ regency: '1571' })]);
    expect(v.reasons).toEqual([]);
  });

  it('several reasons at once: DECEASED, BIRTHDATE_MISMATCH, REGION_MISMATCH', () => {
    const v = reconcileRecord(rec({ birthDate: '1985-03-13', regency: '1501', kodeWilayah: '1501012001' }), [person({ deceased: true })]);
    expect([...v.reasons].sort()).toEqual(['BIRTHDATE_MISMATCH', 'DECEASED', 'REGION_MISMATCH']);
  });

  it('absent record name → NAME not checked, compared with the first row', () => {
    const p = person();
    const v = reconcileRecord(rec({ nama: null, nameKey: null }), [p]);
    expect(v.notChecked).toEqual(['NAME']);
    expect(v.reasons).toEqual([]);
    expect(v.matched).toBe(p);
  });

  it('absent record birth date → BIRTHDATE not checked, no mismatch', () => {
    const v = reconcileRecord(rec({ birthDate: null }), [person({ birthDate: '1970-01-01' })]);
    expect(v.notChecked).toEqual(['BIRTHDATE']);
    expect(v.reasons).toEqual([]);
  });

  it('absent record region → REGION not checked, no mismatch', () => {
    const v = reconcileRecord(rec({ kodeWilayah: null, regency: null }), [person({ regency: '1501' })]);
    expect(v.notChecked).toEqual(['REGION']);
    expect(v.reasons).toEqual([]);
  });

  it('absent DTKS birth date → BIRTHDATE not checked', () => {
    const v = reconcileRecord(rec(), [person({ birthDate: null })]);
    expect(v.notChecked).toEqual(['BIRTHDATE']);
    expect(v.reasons).toEqual([]);
  });

  it('absent DTKS region → REGION not checked', () => {
    const v = reconcileRecord(rec(), [person({ regency: null })]);
    expect(v.notChecked).toEqual(['REGION']);
    expect(v.reasons).toEqual([]);
  });

  it('every field absent → NAME, BIRTHDATE and REGION not checked', () => {
    const v = reconcileRecord(rec({ nama: null, nameKey: null, birthDate: null, kodeWilayah: null, regency: null }), [person()]);
    expect([...v.notChecked].sort()).toEqual(['BIRTHDATE', 'NAME', 'REGION']);
  });

  it('a record whose fields are all present has nothing not checked', () => {
    expect(reconcileRecord(rec(), [person()]).notChecked).toEqual([]);
  });

  it('the matched DTKS row is returned for family lookups', () => {
    const p = person({ householdId: 'HH-42' });
    expect(reconcileRecord(rec({ birthDate: '1990-01-01' }), [p]).matched).toBe(p);
  });
});

describe('familyKey', () => {
  it('1. the matched DTKS person\'s household comes first', () => {
    expect(familyKey(person({ householdId: 'HH-7' }), '1571010101100001', ['HH-1'])).toBe('H:HH-7');
  });

  it('2. else the household of the DTKS people with the record\'s No. KK', () => {
    expect(familyKey(null, '1571010101100001', ['HH-5'])).toBe('H:HH-5');
  });

  it('2. the KK spread over several households: the smallest household id', () => {
    expect(familyKey(null, '1571010101100001', ['HH-9', 'HH-3', 'HH-5'])).toBe('H:HH-3');
  });

  it('2. a matched person without a household id falls through to the KK\'s household', () => {
    expect(familyKey(person({ householdId: null }), '1571010101100001', ['HH-5'])).toBe('H:HH-5');
  });

  it('3. else the No. KK itself', () => {
    expect(familyKey(null, '1571010101100001', [])).toBe('K:1571010101100001');
  });

  it('no household and no No. KK → null (no family)', () => {
    expect(familyKey(null, null, [])).toBeNull();
    expect(familyKey(person({ householdId: null }), null, ['HH-1'])).toBeNull();
  });

  it('a household key and a KK key never collide', () => {
    expect(familyKey(null, '123', [])).not.toBe(familyKey(person({ householdId: '123' }), null, []));
  });

  it('does not reorder the caller\'s array', () => {
    const hh = ['HH-9', 'HH-3'];
    familyKey(null, '1571010101100001', hh);
    expect(hh).toEqual(['HH-9', 'HH-3']);
  });
});

describe('dtksDuplicateDetail', () => {
  it('SAME_PERSON: matching names and equal birth dates', () => {
    expect(dtksDuplicateDetail([person({ row: 1 }), person({ row: 2, nama: 'M. YUSUF' })])).toBe('SAME_PERSON');
  });

  it('SAME_PERSON: a birth date missing on one side is not a difference', () => {
    expect(dtksDuplicateDetail([person({ row: 1 }), person({ row: 2, birthDate: null })])).toBe('SAME_PERSON');
  });

  it('DIFFERENT_PERSON: different names', () => {
    expect(dtksDuplicateDetail([person({ row: 1 }), person({ row: 2, nama: 'SITI AMINAH' })])).toBe('DIFFERENT_PERSON');
  });

  it('DIFFERENT_PERSON: matching names but different birth dates', () => {
    expect(dtksDuplicateDetail([person({ row: 1 }), person({ row: 2, birthDate: '1990-01-01' })])).toBe('DIFFERENT_PERSON');
  });

  it('DIFFERENT_PERSON: three rows where only the third differs', () => {
    expect(dtksDuplicateDetail([person({ row: 1 }), person({ row: 2 }), person({ row: 3, nama: 'RATNA DEWI' })])).toBe('DIFFERENT_PERSON');
  });

  it('SAME_PERSON: three rows of one person', () => {
    expect(dtksDuplicateDetail([person({ row: 1 }), person({ row: 2, nama: 'MUH YUSUF' }), person({ row: 3 })])).toBe('SAME_PERSON');
  });
});
