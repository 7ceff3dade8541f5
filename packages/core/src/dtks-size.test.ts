import { describe, expect, it } from 'vitest';
import { checkDtksSize, dtksTooSmallDetail } from './dtks-size.js';

describe('checkDtksSize', () => {
  it('refuses an empty release, even with no program rows', () => {
    expect(checkDtksSize(0, 0)).toEqual({ tooSmall: true, minimum: 1 });
    expect(checkDtksSize(0, 500).tooSmall).toBe(true);
  });

  it('refuses fewer rows than 1 % of the program rows and accepts exactly 1 %', () => {
    expect(checkDtksSize(9, 1000)).toEqual({ tooSmall: true, minimum: 10 });
    expect(checkDtksSize(10, 1000).tooSmall).toBe(false);
    expect(checkDtksSize(1, 50).tooSmall).toBe(false);
  });

  it('states the counts, the rule and the flag', () => {
    expect(dtksTooSmallDetail(3, 1000, '--allow-small-dtks')).toMatch(/3 usable rows for 1000 program rows.*at least 1 % of the program rows \(10\).*--allow-small-dtks/);
  });
});
