import { describe, expect, it } from 'vitest';
import type { DtksPerson } from '@padan/core';
import { packPerson, unpackPerson } from '../codec/state-codec.js';
import { DtksPersonRows } from './dtks-person-rows.js';

const base: DtksPerson = {
  nik: '1571010101800001',
  nikRaw: '1571010101800001',
  file: 'dtks.csv',
  row: 2,
  householdId: 'DTKS158051792253',
  noKk: '1571010101000001',
  nama: 'SITI AMINAH',
  nameKey: 'SITI AMINAH',
  birthDate: '1980-01-01',
  regency: '1571',
  deceased: false,
  warnings: [],
};

// Every shape the text codec had to get right: what the rows give back must be what it gave.
const cases: DtksPerson[] = [
  base,
  { ...base, nikRaw: '1571-0101-0180-0001', nama: 'Siti Aminah', nameKey: 'SITI AMINAH', deceased: true },
  { ...base, nik: '15710', nikRaw: '', householdId: null, nama: null, nameKey: '', birthDate: null, regency: null },
  { ...base, birthDate: '1850-02-30', warnings: ['W1', 'W2'], regency: '' },
  { ...base, nama: 'NAMA\u001fDENGAN\u001cKENDALI', nameKey: 'NAMA\u001eKEY', file: 'a\u001db.csv', warnings: [''] },
  { ...base, nama: 'ÑOÑO 名前 😀'.repeat(20), nameKey: 'NONO', householdId: 'H'.repeat(300), row: 123456789 },
  { ...base, nik: '0000000000000000', birthDate: '2079-06-06', warnings: ['', ''] },
];

describe('DtksPersonRows', () => {
  it('gives back each person as the packed text format did', () => {
    const rows = new DtksPersonRows();
    const at = cases.map((p) => rows.add(p));
    cases.forEach((p, i) => {
      const r = at[i] as number;
      expect(rows.person(p.nik, r)).toEqual(unpackPerson(p.nik, packPerson(p)));
      expect(rows.nik(r)).toBe(p.nik);
      expect(rows.nameKey(r)).toBe(unpackPerson(p.nik, packPerson(p)).nameKey);
      expect({ file: rows.file(r), row: rows.row(r) }).toEqual({ file: unpackPerson(p.nik, packPerson(p)).file, row: p.row });
    });
  });

  it('grows past its first capacity, rows numbered in arrival order', () => {
    const rows = new DtksPersonRows();
    for (let i = 0; i < 3000; i++) expect(rows.add({ ...base, row: i, nama: `N${i}`, nameKey: `N${i}` })).toBe(i);
    expect(rows.size).toBe(3000);
    expect(rows.person(base.nik, 2999).nama).toBe('N2999');
    expect(rows.person(base.nik, 0).row).toBe(0);
  });
});
