import { describe, expect, it } from 'vitest';
import type { DtksPerson } from '@padan/core';
import { packPerson, unpackPerson } from './state-codec.js';

const person: DtksPerson = {
  nik: '1571010101800001', nikRaw: '1571010101800001', file: 'dtks.csv', row: 3, householdId: 'H1', noKk: 'KK1',
  nama: 'BUDI', nameKey: 'BUDI', birthDate: '1980-01-01', regency: '1571', deceased: true, warnings: ['A', 'B'],
};

describe('packed DTKS person', () => {
  it('round-trips, the NIK given by the key it is stored under, without the No. KK', () => {
    expect(unpackPerson(person.nik, packPerson(person))).toEqual({ ...person, noKk: null });
    expect(packPerson(person)).not.toContain(person.nik);
    expect(packPerson(person)).not.toContain('KK1');
  });

  // Issue 7: the codec stripped U+001E and U+001F from names but not U+001D, the separator of a
  // NIK group's persons, so such a name split the group. Every separator (U+001C to U+001F) is
  // replaced by a space in the text it would split.
  it.each([
    ['001C', '\u001c'],
    ['001D', '\u001d'],
    ['001E', '\u001e'],
    ['001F', '\u001f'],
  ])('a name or household holding U+%s splits nothing', (_, sep) => {
    const odd = { ...person, nama: `BU${sep}DI`, nameKey: `BU${sep}DI X`, householdId: `H${sep}1` };
    const back = unpackPerson(odd.nik, packPerson(odd));
    expect(back).toEqual({ ...person, noKk: null, nama: 'BU DI', nameKey: 'BU DI X', householdId: 'H 1' });
    expect(packPerson(odd)).not.toContain('\u001d');
  });
});
