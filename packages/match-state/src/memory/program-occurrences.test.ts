import { describe, expect, it } from 'vitest';
import { ProgramOccurrences } from './program-occurrences.js';

const P = '2021-09';
const occ = (file: string, row: number) => ({ file, row, key: `${P}/PKH/${file}#${row}` });
const NIK = '1571010101800001';

describe('ProgramOccurrences', () => {
  it('answers one occurrence from its columns, key rebuilt, and none for an unknown NIK', () => {
    const o = new ProgramOccurrences(P, 'PKH');
    o.add(NIK, occ('pkh.csv', 7));
    o.add('15710', occ('pkh.csv', 8));
    expect(o.summary(NIK)).toEqual({ first: occ('pkh.csv', 7), count: 1, all: null });
    expect(o.summary('15710')).toEqual({ first: occ('pkh.csv', 8), count: 1, all: null });
    expect(o.summary('1571010101800002')).toBeNull();
    expect(o.size).toBe(2);
  });

  it('keeps the first by (file, row) and gives every occurrence, sorted, only when the first is the caller’s', () => {
    const o = new ProgramOccurrences(P, 'PKH');
    o.add(NIK, occ('pkh.csv', 9));
    o.add(NIK, occ('pkh.csv', 3));
    o.add(NIK, occ('pkh-0.csv', 20));
    const all = [occ('pkh-0.csv', 20), occ('pkh.csv', 3), occ('pkh.csv', 9)];
    expect(o.summary(NIK, new Set([occ('pkh-0.csv', 20).key]))).toEqual({ first: occ('pkh-0.csv', 20), count: 3, all });
    expect(o.summary(NIK, new Set([occ('pkh.csv', 3).key]))).toEqual({ first: occ('pkh-0.csv', 20), count: 3, all: null });
    expect(o.summary(NIK)).toEqual({ first: occ('pkh-0.csv', 20), count: 3, all: null });
  });

  it('grows past its first columns', () => {
    const o = new ProgramOccurrences(P, 'PKH');
    for (let i = 0; i < 3000; i++) o.add(`15710101${String(i).padStart(8, '0')}`, occ('pkh.csv', i));
    expect(o.size).toBe(3000);
    expect(o.summary('1571010100002999')?.first).toEqual(occ('pkh.csv', 2999));
  });
});
