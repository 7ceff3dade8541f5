import { describe, expect, it } from 'vitest';
import { DtksIndexBatchContract, packDtksIndex, unpackDtksIndex } from './dtks-index-batch.js';
import type { DtksIndexEntry } from './dtks-index-entry.js';
import { MESSAGE_KEYS } from './message-keys.js';

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

describe('padan.dtks-index.v3', () => {
  it('carries DTKS rows as fields, many per message, and round-trips', () => {
    const entries = [{ ...entry, row: 9 }, entry, { ...entry, row: 8, nik: '1571010101800002', nama: null, birthDate: null, deceased: true }];
    const batches = packDtksIndex(entries);
    expect(batches).toHaveLength(1);
    const back = unpackDtksIndex(DtksIndexBatchContract.decode(DtksIndexBatchContract.encode(batches[0]!)));
    expect(back).toEqual([entry, entries[2], entries[0]]);
  });

  it('splits by file and by size, rows ascending, one entry per row', () => {
    const many = Array.from({ length: 2500 }, (_, i) => ({ ...entry, row: 2500 - i }));
    const other = { ...entry, file: 'dtks-2.csv', row: 1 };
    const batches = packDtksIndex([...many, other, many[0]!]);
    expect(batches.map((b) => [b.file, b.entries.length, b.entries[0]![0]])).toEqual([
      ['dtks-2.csv', 1, 1],
      ['dtks.csv', 1000, 1],
      ['dtks.csv', 1000, 1001],
      ['dtks.csv', 500, 2001],
    ]);
  });

  it('is keyed by file and exact row set: the same rows share a key, other rows of the same span do not', () => {
    const [a] = packDtksIndex([entry, { ...entry, row: 9 }]);
    const [b] = packDtksIndex([{ ...entry, row: 9 }, { ...entry, nama: 'OTHER' }]);
    const [c] = packDtksIndex([entry, { ...entry, row: 8 }, { ...entry, row: 9 }]);
    expect(MESSAGE_KEYS.dtksIndexBatch(a!)).toMatch(/^2021-09\/DTKS\/dtks\.csv#7-9\/2\./);
    expect(MESSAGE_KEYS.dtksIndexBatch(b!)).toBe(MESSAGE_KEYS.dtksIndexBatch(a!));
    expect(MESSAGE_KEYS.dtksIndexBatch(c!)).not.toBe(MESSAGE_KEYS.dtksIndexBatch(a!));
  });

  it('rejects the one-entry-per-message form of v2', () => {
    expect(() => DtksIndexBatchContract.decode(Buffer.from(JSON.stringify(entry)))).toThrow();
  });
});
