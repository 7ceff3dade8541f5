import { describe, expect, it } from 'vitest';
import type { DtksPerson } from '@padan/core';
import { BirthDateIndex } from './birth-date-index.js';
import { DtksPersonRows } from './dtks-person-rows.js';

const person = (nik: string, nameKey: string): DtksPerson => ({
  nik,
  nikRaw: nik,
  file: 'dtks.csv',
  row: 1,
  householdId: null,
  noKk: null,
  nama: nameKey,
  nameKey,
  birthDate: '1980-01-01',
  regency: null,
  deceased: false,
  warnings: [],
});

describe('BirthDateIndex', () => {
  it('answers the candidates of a date in the order added, also after the date changed since the last query', () => {
    const rows = new DtksPersonRows();
    const index = new BirthDateIndex(rows);
    index.add('1980-01-01', rows.add(person('1571010101800001', 'SITI AMINAH')));
    index.add('1980-01-01', rows.add(person('0071010101800002', '')));
    index.add('1975-03-04', rows.add(person('1571010101800003', 'BUDI')));
    expect(index.candidates('1980-01-01')).toEqual([
      { nik: '1571010101800001', nameKey: 'SITI AMINAH' },
      { nik: '0071010101800002', nameKey: '' },
    ]);
    index.add('1980-01-01', rows.add(person('1571010101800004', 'ÑOÑO')));
    expect(index.candidates('1980-01-01')).toEqual([
      { nik: '1571010101800001', nameKey: 'SITI AMINAH' },
      { nik: '0071010101800002', nameKey: '' },
      { nik: '1571010101800004', nameKey: 'ÑOÑO' },
    ]);
    expect(index.candidates('1975-03-04')).toEqual([{ nik: '1571010101800003', nameKey: 'BUDI' }]);
    expect(index.candidates('2000-01-01')).toBeUndefined();
  });

  it('answers a date holding a NIK of another shape row by row', () => {
    const rows = new DtksPersonRows();
    const index = new BirthDateIndex(rows);
    index.add('1980-01-01', rows.add(person('15710', 'A')));
    index.add('1980-01-01', rows.add(person('1571010101800001', 'B')));
    expect(index.candidates('1980-01-01')).toEqual([
      { nik: '15710', nameKey: 'A' },
      { nik: '1571010101800001', nameKey: 'B' },
    ]);
  });
});
