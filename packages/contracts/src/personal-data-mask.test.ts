import { describe, expect, it } from 'vitest';
import { holdsPersonalData, maskedExcerpt, maskPersonalData } from './personal-data-mask.js';

describe('maskPersonalData', () => {
  it('masks a 16-digit run to its first and last 4 digits', () => {
    expect(maskPersonalData('NIK 1571010101900001 not found')).toBe('NIK 1571********0001 not found');
  });

  it('masks runs broken by spaces, dots and dashes, and 15- and 17-digit runs', () => {
    expect(maskPersonalData('1571 0101 0190 0001')).toBe('1571********0001');
    expect(maskPersonalData('15.71.01.010190.0001')).toBe('1571********0001');
    expect(maskPersonalData('1571-0101-0190-0001')).toBe('1571********0001');
    expect(maskPersonalData('x157101010190001y')).toBe('x1571*******0001y');
    expect(maskPersonalData('15710101019000012')).toBe('1571*********0012');
  });

  it('masks a NIK glued to letters or inside JSON', () => {
    expect(maskPersonalData('{"nik":"NIK1571010101900001"}')).toBe('{"nik":"NIK1571********0001"}');
  });

  it('leaves short numbers alone: counts, ports, offsets, epoch milliseconds', () => {
    const s = 'rows 130000 port 29092 offset 123456789 at 1764509759123';
    expect(maskPersonalData(s)).toBe(s);
  });

  it('masks date-like values in every common form', () => {
    expect(maskPersonalData('born 1980-01-02')).toBe('born ****-**-**');
    expect(maskPersonalData('born 02-01-1980')).toBe('born **-**-****');
    expect(maskPersonalData('born 02/01/1980')).toBe('born **/**/****');
    expect(maskPersonalData('born 2.1.1980')).toBe('born *.*.****');
    expect(maskPersonalData('born 1/2/80')).toBe('born */*/**');
    expect(maskPersonalData('born 02-Jan-1980')).toBe('born **-Jan-****');
    expect(maskPersonalData('lahir 2 Januari 1980')).toBe('lahir * Januari ****');
    expect(maskPersonalData('Excel wrote 1980-01-02 00:00:00 and 1980-01-02T00:00:00')).toBe('Excel wrote ****-**-** 00:00:00 and ****-**-**T00:00:00');
  });

  it('keeps landing keys, periods, snapshot keys and timestamps readable', () => {
    for (const s of [
      'landing/period=2021-09/source=PKH/pkh.csv',
      'snapshots/period=2021-09/date=2021-09-30/findings.csv',
      'next daily snapshot 2026-11-30T16:00:00.000Z',
      '127.0.0.1:29092',
      'padan 0.1.0',
    ]) {
      expect(maskPersonalData(s)).toBe(s);
      expect(holdsPersonalData(s)).toBe(false);
    }
  });
});

describe('maskedExcerpt', () => {
  it('keeps a short payload whole, masked', () => {
    expect(maskedExcerpt(Buffer.from('{"nik":"1571010101900001","tgl":"1980-01-02"}'))).toBe('{"nik":"1571********0001","tgl":"****-**-**"}');
  });

  it('bounds a long payload and says its size, without decoding all of it', () => {
    const big = Buffer.from(`["${'A'.repeat(5_000_000)}"]`);
    const e = maskedExcerpt(big, 50);
    expect(e.length).toBeLessThan(100);
    expect(e).toContain(`(${big.byteLength} bytes in all)`);
  });

  it('masks a NIK cut in half by the bound', () => {
    const e = maskedExcerpt(Buffer.from(`{"nik":"1571010101900001"}`), 15);
    expect(e).not.toMatch(/\d{3}/);
    expect(e.startsWith('{"nik":"')).toBe(true);
  });
});
