import { describe, expect, it } from 'vitest';
import { birthDateNiks, NIK_BYTES, packNik, unpackNiks } from './nik-bytes.js';

describe('packed NIKs', () => {
  it('are 7 bytes, big-endian, and read back in order with their leading zeros', () => {
    const niks = ['1571010101800001', '0000000000000001', '9999999999999999', '1501070410800152'];
    const packed = Buffer.concat(niks.map(packNik));
    expect(packed.length).toBe(niks.length * NIK_BYTES);
    expect([...packNik('0000000000000258')]).toEqual([0, 0, 0, 0, 0, 1, 2]);
    expect(unpackNiks(packed)).toEqual(niks);
  });

  it('refuses anything but 16 digits', () => {
    expect(() => packNik('157101010180000')).toThrow(/not 16 digits/);
  });

  it('read from a birth-date value: none, inline (packed) or overflow (decimal integers, leading zeros dropped)', () => {
    expect(birthDateNiks(Buffer.alloc(0))).toEqual([]);
    const inline = ['1571010101800001', '1501070410800152'];
    expect(birthDateNiks(Buffer.concat([Buffer.from('i'), ...inline.map(packNik)]))).toEqual(inline);
    expect(birthDateNiks(Buffer.from('o1571010101800001,258,9999999999999999'))).toEqual(['1571010101800001', '0000000000000258', '9999999999999999']);
    expect(birthDateNiks(Buffer.from('o'))).toEqual([]);
    expect(() => birthDateNiks(Buffer.from('x1'))).toThrow(/neither inline nor overflow/);
  });
});
