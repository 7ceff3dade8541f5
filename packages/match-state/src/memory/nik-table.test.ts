import { describe, expect, it } from 'vitest';
import { ABSENT, NikTable, half, nikOfHalves } from './nik-table.js';

describe('NikTable', () => {
  it('maps 16-digit NIKs (beyond 2^53 too) and any other key, growing past its first size', () => {
    const t = new NikTable();
    const niks: string[] = [];
    for (let i = 0; i < 5000; i++) niks.push(`9${String(i * 7919).padStart(15, '0')}`);
    niks.forEach((n, i) => t.set(n, i - 2500));
    t.set('15710', 7);
    t.set('', 8);
    expect(t.size).toBe(5002);
    niks.forEach((n, i) => expect(t.get(n)).toBe(i - 2500));
    expect(t.get('15710')).toBe(7);
    expect(t.get('')).toBe(8);
    // 9999999999999999 > 2^53: as a double it would equal 10^16; the halves keep them apart.
    t.set('9999999999999999', 1);
    expect(t.get('10000000000000000'.slice(1))).toBe(ABSENT);
    expect(t.get('9999999999999998')).toBe(ABSENT);
    t.set(niks[3] as string, 42);
    expect(t.get(niks[3] as string)).toBe(42);
    expect(t.size).toBe(5003);
  });

  it('gives a NIK back from its halves with its leading zeros', () => {
    const nik = '0012345600000789';
    expect(nikOfHalves(half(nik, 0), half(nik, 8))).toBe(nik);
  });
});
