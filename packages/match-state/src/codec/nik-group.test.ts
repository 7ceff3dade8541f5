import { describe, expect, it } from 'vitest';
import type { DtksPerson } from '@padan/core';
import { addToNikGroup, decodeNikGroup, encodeNikGroup } from './nik-group.js';

const person = (row: number, nama: string, o: Partial<DtksPerson> = {}): DtksPerson => ({
  nik: '1571010101800001', nikRaw: '1571010101800001', file: 'dtks.csv', row, householdId: 'H1', noKk: null,
  nama, nameKey: nama, birthDate: '1980-01-01', regency: '1571', deceased: false, warnings: [], ...o,
});

describe('NIK group value', () => {
  it('keeps one representative per distinct person, the first by file and row, and the detail', () => {
    const v = addToNikGroup(null, [person(3, 'BUDI'), person(1, 'BUDI'), person(2, 'SITI')]);
    expect(v.detail).toBe('DIFFERENT_PERSON');
    expect(v.reps.map((p) => p.row)).toEqual([1, 2]);
    expect(decodeNikGroup('1571010101800001', encodeNikGroup(v))).toEqual(v);
  });

  it('a single row is its packed person', () => {
    const v = addToNikGroup(null, [person(1, 'BUDI')]);
    expect(v.detail).toBeNull();
    expect(decodeNikGroup('1571010101800001', encodeNikGroup(v))).toEqual(v);
  });

  it('a name holding the separators (U+001C to U+001F) does not split the group or the person', () => {
    const odd = 'BUDI\u001cX\u001dY\u001eZ\u001fW';
    const v = addToNikGroup(null, [person(1, odd, { nameKey: 'BUDI X Y Z W' }), person(2, 'SITI')]);
    const back = decodeNikGroup('1571010101800001', encodeNikGroup(v));
    expect(back.reps).toHaveLength(2);
    expect(back.reps[0]).toMatchObject({ row: 1, nama: 'BUDI X Y Z W', nameKey: 'BUDI X Y Z W', householdId: 'H1' });
    expect(back.reps[1]).toMatchObject({ row: 2, nama: 'SITI' });
  });
});
