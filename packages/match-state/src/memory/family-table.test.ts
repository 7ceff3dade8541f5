import { describe, expect, it } from 'vitest';
import { FamilyTable } from './family-table.js';

const P = '2021-09';
const key = (program: string, file: string, row: number) => `${P}/${program}/${file}#${row}`;

describe('FamilyTable', () => {
  it('answers members, programs in the order they joined, and every key by program (rebuilt or kept)', () => {
    const t = new FamilyTable(P);
    t.add('H:1', 'SEMBAKO', 's.csv', 9, key('SEMBAKO', 's.csv', 9));
    t.add('H:1', 'PKH', 'pkh.csv', 5, key('PKH', 'pkh.csv', 5));
    t.add('H:1', 'SEMBAKO', 's.csv', 3, 'an odd key');
    t.add('K:2', 'BST', 'b.jsonl', 1, key('BST', 'b.jsonl', 1));
    expect(t.size).toBe(2);
    expect(t.summary('H:1')).toEqual({ members: 3, programs: new Set(['SEMBAKO', 'PKH']) });
    expect([...(t.summary('H:1')?.programs ?? [])]).toEqual(['SEMBAKO', 'PKH']);
    expect(t.summary('H:none')).toBeNull();
    // SEMBAKO's first by (file, row) is row 3 (the odd key), PKH's is row 5.
    const change = t.change('H:1', new Set(['an odd key']));
    expect(change?.firstOf).toEqual(new Set(['SEMBAKO']));
    expect(change?.all).toEqual(
      new Map([
        ['SEMBAKO', [key('SEMBAKO', 's.csv', 9), 'an odd key']],
        ['PKH', [key('PKH', 'pkh.csv', 5)]],
      ]),
    );
    expect(t.change('H:1', new Set([key('SEMBAKO', 's.csv', 9)]))).toEqual({ members: 3, programs: new Set(['SEMBAKO', 'PKH']), firstOf: new Set(), all: null });
    // One member is first of its program whatever the call holds.
    expect(t.change('K:2', new Set())?.firstOf).toEqual(new Set(['BST']));
  });

  it('grows past its first capacity in families and members', () => {
    const t = new FamilyTable(P);
    for (let i = 0; i < 6000; i++) t.add(`H:${i % 2000}`, i % 3 === 0 ? 'PKH' : 'PBI', 'f.csv', i, key(i % 3 === 0 ? 'PKH' : 'PBI', 'f.csv', i));
    expect(t.size).toBe(2000);
    expect(t.summary('H:1999')).toEqual({ members: 3, programs: new Set(['PBI', 'PKH']) });
    // H:0 holds rows 0 (PKH), 2000 and 4000 (PBI).
    expect(t.change('H:0', new Set([key('PKH', 'f.csv', 0)]))?.all).toEqual(
      new Map([
        ['PKH', [key('PKH', 'f.csv', 0)]],
        ['PBI', [key('PBI', 'f.csv', 2000), key('PBI', 'f.csv', 4000)]],
      ]),
    );
  });
});
