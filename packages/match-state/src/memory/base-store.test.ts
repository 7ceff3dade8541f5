import { describe, expect, it } from 'vitest';
import { BaseStore } from './base-store.js';

describe('BaseStore', () => {
  it('keeps one value per key, whatever its shape', () => {
    const s = new BaseStore();
    const keys = ['2021-09/PKH/pkh.xlsx#2', '2021-09/PKH/pkh.xlsx#10', '2021-09/BST/pkh.xlsx#2', '2021-09/PKH/pkh.xlsx#02', 'no-row', 'a#', '#5', 'p/s/f#99999999999', 'p/s/f#0', 'p/s/f#5000'];
    keys.forEach((k, i) => s.put(k, `value ${i} ñ`));
    expect(s.size).toBe(keys.length);
    keys.forEach((k, i) => expect(s.get(k)).toBe(`value ${i} ñ`));
    expect(s.get('2021-09/PKH/pkh.xlsx#3')).toBeUndefined();
    expect(s.get('2021-09/PKH/other.xlsx#2')).toBeUndefined();
    expect(s.get('2021-09/PKH/pkh.xlsx#1000000')).toBeUndefined();
    s.put('2021-09/PKH/pkh.xlsx#2', 'replaced');
    s.put('no-row', 'replaced too');
    expect(s.size).toBe(keys.length);
    expect(s.get('2021-09/PKH/pkh.xlsx#2')).toBe('replaced');
    expect(s.get('no-row')).toBe('replaced too');
  });

  it('does not grow with how often a value is put again (replaced values are compacted away)', () => {
    const s = new BaseStore();
    const value = 'x'.repeat(200);
    for (let r = 0; r < 100; r++) s.put(`p/PKH/f.csv#${r}`, value);
    s.put('odd key', value);
    const heapAfterFirst = (s as unknown as { heap: { end: number } }).heap.end;
    for (let round = 0; round < 2000; round++) for (let r = 0; r < 100; r += 7) s.put(`p/PKH/f.csv#${r}`, `${value}${round % 10}`);
    expect((s as unknown as { heap: { end: number } }).heap.end).toBeLessThan(heapAfterFirst * 2 + (1 << 21));
    expect(s.size).toBe(101);
    expect(s.get('p/PKH/f.csv#7')).toBe(`${value}9`);
    expect(s.get('p/PKH/f.csv#8')).toBe(value);
    expect(s.get('odd key')).toBe(value);
  });
});
