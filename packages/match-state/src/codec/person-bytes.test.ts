import { describe, expect, it } from 'vitest';
import type { DtksPerson } from '@padan/core';
import { packPerson, unpackPerson } from './state-codec.js';
import { householdHead, packPersonBytes, unpackPersonBytes } from './person-bytes.js';
import { UnknownNameId } from './name-ids.js';
import type { NameIds } from './name-ids.js';

/** A name table holding `names`, ids from `first` on. */
function table(names: string[], first = 1): NameIds {
  return { idOf: (n) => (names.includes(n) ? first + names.indexOf(n) : undefined), nameOf: (id) => names[id - first] };
}

const NIK = '1501011406930164';
const person: DtksPerson = {
  nik: NIK, nikRaw: NIK, file: 'dtks-jambi-2021-09.csv', row: 302_811, householdId: 'DTKS158051792253', noKk: '1501011106197772',
  nama: 'IRWAN NURDIN', nameKey: 'IRWAN NURDIN', birthDate: '1993-06-14', regency: '1501', deceased: false, warnings: [],
};

// The Redis index must answer exactly what the memory state (text codec) answers: embedded and
// distributed snapshots are byte-identical only if both decode a person alike.
const cases: [string, DtksPerson][] = [
  ['a typical row', person],
  ['no optional field', { ...person, householdId: null, noKk: null, nama: null, nameKey: '', birthDate: null, regency: null }],
  ['IDs with leading zeros, letters only, more than 20 digits', { ...person, householdId: '0000123', noKk: 'ABC', nikRaw: `'${'9'.repeat(25)}` }],
  ['a raw NIK other than the NIK, a name key of its own, warnings, deceased', { ...person, nikRaw: '1501 0114 0693 0164', nameKey: 'IRWAN NURDIN X', deceased: true, warnings: ['BIRTHDATE_UNPARSEABLE', 'STATUS_UNKNOWN'] }],
  ['dates at and past the 2-byte range, and not ISO', { ...person, birthDate: '1900-01-01' }],
  ['a date past 2079', { ...person, birthDate: '2080-01-01' }],
  ['a date before 1900', { ...person, birthDate: '1899-12-31' }],
  ['a date that is not a calendar day', { ...person, birthDate: '2001-02-30' }],
  ['non-ASCII names', { ...person, nama: 'SITI ʿAISYAH 𝕏', nameKey: 'SITI AISYAH' }],
  ['the file as a FileTable token', { ...person, file: '\u000112', row: 0 }],
  ['a title-case name, a lower-case name key', { ...person, nama: 'Irwan Nurdin', nameKey: 'irwan nurdin' }],
  ['mixed case and marks', { ...person, nama: "McDONALD O'Neil-Smith, S.Pd", nameKey: "MA'RUF `X" }],
  ['an empty name', { ...person, nama: '', nameKey: '' }],
];

describe('binary packed DTKS person', () => {
  it.each(cases)('%s decodes as the text codec does', (_, p) => {
    expect(unpackPersonBytes(p.nik, packPersonBytes(p))).toEqual(unpackPerson(p.nik, packPerson(p)));
  });

  it('is half the text', () => {
    // As stored: the file as its FileTable token (a 1-byte id); digits as integers, the date in 2
    // bytes, the name in 5 bits a letter, no No. KK, no separators.
    const stored = { ...person, file: '\u00011' };
    expect(packPersonBytes(stored).length).toBeLessThanOrEqual(30);
    expect(Buffer.byteLength(packPerson(stored))).toBeGreaterThanOrEqual(60);
  });
  it('a file that only looks like a FileTable token is kept as text', () => {
    for (const file of ['\u000101', '\u0001', '\u00011x', `\u0001${2 ** 31}`]) {
      const p = { ...person, file };
      expect(unpackPersonBytes(NIK, packPersonBytes(p)).file).toBe(file);
    }
  });

  it.each(['\u001c', '\u001d', '\u001e', '\u001f'])('a name holding %j splits nothing, and reads as the text codec reads it', (sep) => {
    const odd = { ...person, nama: `BU${sep}DI`, nameKey: `BU${sep}DI X`, householdId: `H${sep}1` };
    expect(unpackPersonBytes(NIK, packPersonBytes(odd))).toEqual({ ...person, noKk: null, nama: 'BU DI', nameKey: 'BU DI X', householdId: 'H 1' });
  });

  // The household id's head (`DTKS`) as an id of the release's name table.
  const heads = table(['DTKS', 'HH-', 'RUMAH TANGGA ', 'ÉTÉ', '\u0001'], 1);
  it.each(cases)('%s decodes as the text codec does with a table of household heads', (_, p) => {
    expect(unpackPersonBytes(p.nik, packPersonBytes(p, p.file, heads), heads)).toEqual(unpackPerson(p.nik, packPerson(p)));
  });

  it.each([
    ['the DTKS head', 'DTKS158051792253'],
    ['no head (digits only)', '0000123'],
    ['empty', ''],
    ['another head in the table', 'HH-42'],
    ['a head not in the table', 'KK-42'],
    ['letters only', 'RUMAH TANGGA '],
    ['a non-ASCII head', 'ÉTÉ2021'],
    ['a head holding a separator (cleaned as the text codec does)', 'DT\u001eKS1'],
  ])('a household id with %s round-trips', (_, householdId) => {
    const p = { ...person, householdId: householdId === '' ? null : householdId };
    expect(unpackPersonBytes(NIK, packPersonBytes(p, p.file, heads), heads)).toEqual(unpackPerson(NIK, packPerson(p)));
  });

  it('the DTKS head as a table id saves 4 bytes', () => {
    const stored = { ...person, file: '\u00011' };
    expect(householdHead(stored)).toBe('DTKS');
    expect(packPersonBytes(stored, stored.file, heads).length).toBe(packPersonBytes(stored).length - 4);
    expect(packPersonBytes(stored, stored.file, heads).length).toBeLessThanOrEqual(26);
  });

  it('a head id the reader does not know throws UnknownNameId (the caller reloads the table)', () => {
    const packed = packPersonBytes(person, person.file, table(['X', 'DTKS'], 70));
    expect(() => unpackPersonBytes(NIK, packed, heads)).toThrow(UnknownNameId);
    expect(() => unpackPersonBytes(NIK, packed)).toThrow(/id 71, which its name table does not hold/);
    expect(unpackPersonBytes(NIK, packed, table(['X', 'DTKS'], 70)).householdId).toBe('DTKS158051792253');
  });
});
