import { describe, expect, it } from 'vitest';
import { packHousehold, unpackHouseholds } from './household-list.js';
import { UnknownNameId } from './name-ids.js';
import type { NameIds } from './name-ids.js';

const names = ['DTKS', 'É-', 'H\u001e'];
const heads: NameIds = { idOf: (n) => (names.includes(n) ? 1 + names.indexOf(n) : undefined), nameOf: (id) => names[id - 1] };

describe('households of a No. KK', () => {
  const ids = ['DTKS158051792253', '0000123', '', 'É-12', 'H\u001e1', 'KK-7', 'letters only', 'DTKS', `x${'9'.repeat(30)}`];

  it('round-trip in order, every character kept (no clean: the memory state answers ids as they came)', () => {
    const value = Buffer.concat(ids.map((id) => packHousehold(id, heads)));
    expect(unpackHouseholds(value, heads)).toEqual(ids);
    expect(unpackHouseholds(Buffer.concat(ids.map((id) => packHousehold(id))))).toEqual(ids);
    expect(unpackHouseholds(Buffer.alloc(0), heads)).toEqual([]);
  });

  it('a DTKS household id is 8 bytes with its head as an id (the text took 16 and a separator)', () => {
    expect(packHousehold('DTKS158051792253', heads).length).toBe(8);
  });

  it('an entry is the same bytes for the same id, so the script compares entries', () => {
    expect(packHousehold('DTKS1', heads).equals(packHousehold('DTKS1', heads))).toBe(true);
    expect(packHousehold('DTKS1', heads).equals(packHousehold('DTKS01', heads))).toBe(false);
  });

  it('a head id the reader does not know throws UnknownNameId', () => {
    expect(() => unpackHouseholds(packHousehold('DTKS1', heads))).toThrow(UnknownNameId);
  });
});
