import { describe, expect, it } from 'vitest';
import { checkNotInDtksShare, DEFAULT_NOT_IN_DTKS_LIMITS } from './not-in-dtks-share.js';
import type { NotInDtksCount } from './not-in-dtks-share.js';

const pkh = (records: number, notInDtks: number): NotInDtksCount => ({ program: 'PKH', files: ['pkh.csv'], records, notInDtks });
const bst = (records: number, notInDtks: number): NotInDtksCount => ({ program: 'BST', files: ['bst.jsonl'], records, notInDtks });

describe('checkNotInDtksShare: above the limit', () => {
  it("issue 9's swapped run, 675 of 689 records NOT_IN_DTKS, is flagged with its counts and the flag", () => {
    const [w, ...rest] = checkNotInDtksShare([pkh(689, 675)], null, DEFAULT_NOT_IN_DTKS_LIMITS, '--max-not-in-dtks-share');
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ check: 'NOT_IN_DTKS_SHARE', source: 'PKH', file: 'pkh.csv' });
    expect(w?.message).toBe(
      '675 of 689 PKH records (98.0 %) are NOT_IN_DTKS, above 50.0 % (--max-not-in-dtks-share); check that the DTKS release is the one for this period and that the DTKS and program files were not swapped',
    );
  });

  it('at the limit is not above it; the limit is configurable', () => {
    expect(checkNotInDtksShare([pkh(100, 50)], null)).toEqual([]);
    expect(checkNotInDtksShare([pkh(100, 51)], null)).toHaveLength(1);
    expect(checkNotInDtksShare([pkh(100, 30)], null, { ...DEFAULT_NOT_IN_DTKS_LIMITS, maxShare: 0.25 })).toHaveLength(1);
  });

  it('names the previous month when there is one; programs are judged one by one; empty programs are skipped', () => {
    const ws = checkNotInDtksShare([pkh(100, 90), bst(100, 5), pkh(0, 0)], { period: '2021-08', counts: [pkh(100, 4)] });
    expect(ws.map((w) => w.check)).toEqual(['NOT_IN_DTKS_SHARE']);
    expect(ws[0]?.message).toMatch(/^90 of 100 PKH records \(90\.0 %\) are NOT_IN_DTKS \(2021-08: 4\.0 %\), above 50\.0 %/);
  });
});

describe('checkNotInDtksShare: a jump from the previous month', () => {
  it('more than 3 times last month and at least 10 points up', () => {
    const ws = checkNotInDtksShare([pkh(1000, 250)], { period: '2021-08', counts: [pkh(900, 45)] });
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({ check: 'NOT_IN_DTKS_JUMP', source: 'PKH', file: 'pkh.csv' });
    expect(ws[0]?.message).toMatch(/^250 of 1000 PKH records \(25\.0 %\) are NOT_IN_DTKS, more than 3 times the 5\.0 % of 2021-08;/);
  });

  it('small shares tripling (1 % → 4 %) stay quiet: under 10 points', () => {
    expect(checkNotInDtksShare([pkh(1000, 40)], { period: '2021-08', counts: [pkh(1000, 10)] })).toEqual([]);
  });

  it('a rise of 10 points that is not a tripling stays quiet (20 % → 35 %)', () => {
    expect(checkNotInDtksShare([pkh(1000, 350)], { period: '2021-08', counts: [pkh(1000, 200)] })).toEqual([]);
  });

  it('compares a program only with the same program; last month without it is no comparison', () => {
    expect(checkNotInDtksShare([pkh(1000, 250)], { period: '2021-08', counts: [bst(1000, 10)] })).toEqual([]);
    expect(checkNotInDtksShare([pkh(1000, 250)], { period: '2021-08', counts: [pkh(0, 0)] })).toEqual([]);
  });

  it('a share up from zero is a jump once it rises 10 points', () => {
    expect(checkNotInDtksShare([pkh(100, 12)], { period: '2021-08', counts: [pkh(100, 0)] }).map((w) => w.check)).toEqual(['NOT_IN_DTKS_JUMP']);
  });
});
