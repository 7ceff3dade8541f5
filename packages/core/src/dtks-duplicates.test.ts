import { describe, expect, it } from 'vitest';
import { dtksDuplicateDetail, samePerson } from './dtks-duplicates.js';
import type { DuplicateSignature } from './dtks-duplicates.js';
import { nameKey } from './name-key.js';

/** The rule as the README states it: every pair of rows must name the same person. */
function pairwise(group: readonly DuplicateSignature[]): string {
  for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) if (!samePerson(group[i]!, group[j]!)) return 'DIFFERENT_PERSON';
  return 'SAME_PERSON';
}

const sig = (nama: string, birthDate: string | null = '1980-01-02'): DuplicateSignature => ({ nameKey: nameKey(nama), birthDate });

describe('dtksDuplicateDetail, incremental over distinct signatures', () => {
  it('two rows without a name are different people (an empty name matches nothing)', () => {
    expect(dtksDuplicateDetail([sig(''), sig('')])).toBe('DIFFERENT_PERSON');
  });

  it('a row without a birth date between two different birth dates does not hide the difference', () => {
    expect(dtksDuplicateDetail([sig('BUDI', null), sig('BUDI', '1990-01-01'), sig('BUDI', '1991-01-01')])).toBe('DIFFERENT_PERSON');
  });

  it('10 000 rows of one person are SAME_PERSON', () => {
    expect(dtksDuplicateDetail(Array.from({ length: 10_000 }, () => sig('SUHAIMI ABIDIN')))).toBe('SAME_PERSON');
  });

  it('agrees with the pairwise rule on random groups', () => {
    const names = ['MUHAMMAD YUSUF', 'M. YUSUF', 'MUH YUSUF', 'SITI AMINAH', 'SITI AMINA', '', 'NURHAYATI', 'NUR HAYATI'];
    const dates = [null, '1980-01-02', '1980-01-03'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let t = 0; t < 2000; t++) {
      const group = Array.from({ length: 1 + rnd(5) }, () => sig(names[rnd(names.length)]!, dates[rnd(dates.length)]!));
      expect(dtksDuplicateDetail(group), JSON.stringify(group)).toBe(pairwise(group));
    }
  });
});
