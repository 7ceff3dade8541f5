import { describe, expect, it } from 'vitest';
import { NIK_BYTES, packNik, unpackNiks } from './nik-bytes.js';

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
});
