import { describe, expect, it } from 'vitest';
import { excelSerialToIso, parseBirthDate } from './birth-date.js';

describe('parseBirthDate: text formats', () => {
  it('YYYY-MM-DD', () => {
    expect(parseBirthDate('1985-03-12', false)).toBe('1985-03-12');
  });

  it('YYYY-MM-DD with single-digit month and day', () => {
    expect(parseBirthDate('1985-3-2', false)).toBe('1985-03-02');
  });

  it('DD-MM-YYYY', () => {
    expect(parseBirthDate('12-03-1985', false)).toBe('1985-03-12');
  });

  it('DD/MM/YYYY', () => {
    expect(parseBirthDate('12/03/1985', false)).toBe('1985-03-12');
  });

  it('DD/MM/YYYY is day first, not month first (05/04/1990 is 5 April)', () => {
    expect(parseBirthDate('05/04/1990', false)).toBe('1990-04-05');
  });

  it('D/M/YYYY with single digits', () => {
    expect(parseBirthDate('5/4/1990', false)).toBe('1990-04-05');
  });

  it('trims surrounding spaces', () => {
    expect(parseBirthDate('  12/03/1985 ', false)).toBe('1985-03-12');
  });

  it('ignores a time suffix after YYYY-MM-DD (space)', () => {
    expect(parseBirthDate('1985-03-12 00:00:00', false)).toBe('1985-03-12');
  });

  it('ignores an ISO time suffix (T…Z)', () => {
    expect(parseBirthDate('1985-03-12T00:00:00.000Z', false)).toBe('1985-03-12');
  });

  it('ignores a time suffix after DD/MM/YYYY and DD-MM-YYYY', () => {
    expect(parseBirthDate('12/03/1985 00:00', false)).toBe('1985-03-12');
    expect(parseBirthDate('12-03-1985 00:00:00', false)).toBe('1985-03-12');
  });

  it('empty or blank gives null', () => {
    expect(parseBirthDate('', false)).toBeNull();
    expect(parseBirthDate('   ', true)).toBeNull();
  });

  it('rejects 31/02/1980 (not a calendar date)', () => {
    expect(parseBirthDate('31/02/1980', false)).toBeNull();
  });

  it('rejects 31 April in every format', () => {
    expect(parseBirthDate('1980-04-31', false)).toBeNull();
    expect(parseBirthDate('31-04-1980', false)).toBeNull();
    expect(parseBirthDate('31/04/1980', false)).toBeNull();
  });

  it('accepts 29 February in a leap year and rejects it otherwise', () => {
    expect(parseBirthDate('29/02/1980', false)).toBe('1980-02-29');
    expect(parseBirthDate('29/02/2000', false)).toBe('2000-02-29');
    expect(parseBirthDate('29/02/1981', false)).toBeNull();
    expect(parseBirthDate('29/02/1900', false)).toBeNull();
  });

  it('rejects month 13 and month 0', () => {
    expect(parseBirthDate('1985-13-01', false)).toBeNull();
    expect(parseBirthDate('01/00/1985', false)).toBeNull();
  });

  it('rejects day 0', () => {
    expect(parseBirthDate('00/03/1985', false)).toBeNull();
  });

  it('rejects mixed separators (12-03/1985)', () => {
    expect(parseBirthDate('12-03/1985', false)).toBeNull();
  });

  it('rejects two-digit years and other formats', () => {
    expect(parseBirthDate('12/03/85', false)).toBeNull();
    expect(parseBirthDate('12 Maret 1985', false)).toBeNull();
    expect(parseBirthDate('1985/03/12', false)).toBeNull();
    expect(parseBirthDate('tidak tahu', false)).toBeNull();
  });
});

describe('parseBirthDate: Excel serials', () => {
  it('a serial is not a date in CSV/JSONL (not allowed)', () => {
    expect(parseBirthDate('29221', false)).toBeNull();
  });

  it('a serial is a date when allowed (XLSX): 29221 → 1980-01-01', () => {
    expect(parseBirthDate('29221', true)).toBe('1980-01-01');
  });

  it('a serial with a .0 tail is accepted when allowed', () => {
    expect(parseBirthDate('36526.0', true)).toBe('2000-01-01');
  });

  it('serial 60 (the Lotus 1900-02-29) is null when allowed', () => {
    expect(parseBirthDate('60', true)).toBeNull();
  });

  it('text dates are still parsed when serials are allowed', () => {
    expect(parseBirthDate('12/03/1985', true)).toBe('1985-03-12');
    expect(parseBirthDate('1985-03-12', true)).toBe('1985-03-12');
  });

  it('non-numeric text is null even when serials are allowed', () => {
    expect(parseBirthDate('abc', true)).toBeNull();
    expect(parseBirthDate('-5', true)).toBeNull();
  });
});

describe('excelSerialToIso', () => {
  it('1 → 1900-01-01', () => {
    expect(excelSerialToIso(1)).toBe('1900-01-01');
  });

  it('59 → 1900-02-28', () => {
    expect(excelSerialToIso(59)).toBe('1900-02-28');
  });

  it('60 → null (Excel\'s fictitious 1900-02-29, the Lotus bug)', () => {
    expect(excelSerialToIso(60)).toBeNull();
  });

  it('61 → 1900-03-01', () => {
    expect(excelSerialToIso(61)).toBe('1900-03-01');
  });

  it('29221 → 1980-01-01', () => {
    expect(excelSerialToIso(29221)).toBe('1980-01-01');
  });

  it('36526 → 2000-01-01', () => {
    expect(excelSerialToIso(36526)).toBe('2000-01-01');
  });

  it('36585 → 2000-02-29 (a real leap day)', () => {
    expect(excelSerialToIso(36585)).toBe('2000-02-29');
  });

  it('0 and negative serials → null', () => {
    expect(excelSerialToIso(0)).toBeNull();
    expect(excelSerialToIso(-1)).toBeNull();
  });

  it('2958465 → 9999-12-31 (Excel\'s last date), 2958466 → null', () => {
    expect(excelSerialToIso(2958465)).toBe('9999-12-31');
    expect(excelSerialToIso(2958466)).toBeNull();
  });
});

describe('parseBirthDate: the two-digit shapes read without the patterns decide as the patterns do', () => {
  it('reads YYYY-MM-DD with a time after a space or a T', () => {
    expect(parseBirthDate('1965-01-05 00:00:00', false)).toBe('1965-01-05');
    expect(parseBirthDate('1965-01-05T10:30', false)).toBe('1965-01-05');
  });

  it('reads DD/MM/YYYY and DD-MM-YYYY with a time after a space, not after a T', () => {
    expect(parseBirthDate('05/01/1965 00:00', false)).toBe('1965-01-05');
    expect(parseBirthDate('05-01-1965 00:00', false)).toBe('1965-01-05');
    expect(parseBirthDate('05/01/1965T00:00', false)).toBeNull();
  });

  it('refuses mixed separators, a line break inside the time, and impossible dates', () => {
    expect(parseBirthDate('05/01-1965', false)).toBeNull();
    expect(parseBirthDate('1965-01-05 00:00\n12', false)).toBeNull();
    expect(parseBirthDate('1999-02-29', false)).toBeNull();
    expect(parseBirthDate('29/02/1999', false)).toBeNull();
    expect(parseBirthDate('1849-12-31', false)).toBeNull();
    expect(parseBirthDate('2000-02-29', false)).toBe('2000-02-29');
  });

  it('leaves other digits to the patterns (full-width digits are not \\d)', () => {
    expect(parseBirthDate('１９６５-01-05', false)).toBeNull();
    expect(parseBirthDate('1965-1-05 00:00:00', false)).toBe('1965-01-05');
  });
});
