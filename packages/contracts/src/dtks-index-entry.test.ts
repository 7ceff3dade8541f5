import { describe, expect, it } from 'vitest';
import { DtksIndexEntryContract, dtksIndexEntryKey } from './dtks-index-entry.js';
import type { DtksIndexEntry } from './dtks-index-entry.js';

const entry: DtksIndexEntry = {
  v: 1,
  period: '2021-09',
  nik: '1571010101800001',
  nikRaw: "'1571010101800001",
  file: 'dtks.csv',
  row: 7,
  householdId: 'DTKS158051792253',
  noKk: '1571010101800099',
  // A name holding the state's separators travels as it is: the topic carries fields, not packed strings.
  nama: 'SITI\u001dAMINAH\u001e\u001f',
  nameKey: 'SITI AMINAH',
  birthDate: '1980-01-01',
  regency: '1571',
  deceased: false,
  warnings: ['NAME_HAS_TITLE'],
};

describe('padan.dtks-index.v1', () => {
  it('carries a DTKS row as fields, and round-trips', () => {
    const back = DtksIndexEntryContract.decode(DtksIndexEntryContract.encode(entry));
    expect(back).toEqual(entry);
  });

  it('is keyed by period, NIK and the row, so compaction keeps every row of a repeated NIK', () => {
    expect(dtksIndexEntryKey(entry)).toBe('2021-09/1571010101800001/dtks.csv#7');
    expect(dtksIndexEntryKey({ ...entry, row: 8 })).not.toBe(dtksIndexEntryKey(entry));
  });

  it('rejects the packed form of before (persons: [packed string])', () => {
    expect(() => DtksIndexEntryContract.decode(Buffer.from(JSON.stringify({ v: 1, period: '2021-09', nik: entry.nik, persons: ['x'] })))).toThrow();
  });
});
