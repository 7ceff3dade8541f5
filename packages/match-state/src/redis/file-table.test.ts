import { describe, expect, it } from 'vitest';
import type { DtksPerson } from '@padan/core';
import { FileTable } from './file-table.js';

const person = (file: string): DtksPerson => ({
  nik: '1571010101800001', nikRaw: '1571010101800001', file, row: 1, householdId: null, noKk: null,
  nama: 'SITI', nameKey: 'SITI', birthDate: null, regency: null, deceased: false, warnings: [],
});

/** Two instances sharing one table, as two match instances share Redis. */
function shared() {
  const ids = new Map<string, string>();
  let assigned = 0;
  let loads = 0;
  const make = () =>
    new FileTable(
      async (_period, names) => names.map((n) => ids.get(n) ?? (ids.set(n, String(++assigned)), String(assigned))),
      async () => {
        loads++;
        return new Map([...ids].map(([n, id]) => [id, n]));
      },
    );
  return { make, loads: () => loads };
}

describe('FileTable', () => {
  it('stores a short token for the file and reads the name back', async () => {
    const t = shared().make();
    await t.ensureTokens('2021-09', ['dtks-jambi-2021-09.csv']);
    const stored = t.stored('2021-09', person('dtks-jambi-2021-09.csv'));
    expect(stored.file).toBe('\u00011');
    await t.ensureNames('2021-09', [stored.file]);
    expect(t.real('2021-09', stored)).toEqual(person('dtks-jambi-2021-09.csv'));
  });

  it('an instance reads names another instance assigned, loading the table once', async () => {
    const s = shared();
    const a = s.make();
    const b = s.make();
    await a.ensureTokens('2021-09', ['a.csv', 'b.csv']);
    const stored = [a.stored('2021-09', person('a.csv')), a.stored('2021-09', person('b.csv'))];
    await b.ensureNames('2021-09', stored.map((p) => p.file));
    expect(stored.map((p) => b.real('2021-09', p).file)).toEqual(['a.csv', 'b.csv']);
    expect(s.loads()).toBe(1);
    await b.ensureNames('2021-09', stored.map((p) => p.file));
    expect(s.loads()).toBe(1);
  });

  it('says the state is inconsistent when a stored id is in no table', async () => {
    const t = shared().make();
    await t.ensureNames('2021-09', ['\u00017']);
    expect(() => t.real('2021-09', person('\u00017'))).toThrow(/not in the release's file table; the state is inconsistent: rebuild it/);
  });
});
