import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-cell.js';

describe('csvCell: CSV injection (OWASP)', () => {
  it('neutralises a leading = with an apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('=1+1')).toBe("'=1+1");
  });

  it('neutralises a leading +', () => {
    expect(csvCell('+62812')).toBe("'+62812");
  });

  it('neutralises a leading -', () => {
    expect(csvCell('-2+3')).toBe("'-2+3");
  });

  it('neutralises a leading @', () => {
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('neutralises a leading tab', () => {
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
  });

  it('neutralises a leading carriage return (and quotes it)', () => {
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
  });

  it('leaves the characters alone when they are not first', () => {
    expect(csvCell('A=B')).toBe('A=B');
    expect(csvCell('SITI-AMINAH')).toBe('SITI-AMINAH');
    expect(csvCell('x@y')).toBe('x@y');
  });

  it('leaves plain NIK digits as plain digits', () => {
    expect(csvCell('1571011203850001')).toBe('1571011203850001');
  });

  it('writes numbers as they are (a negative number is not text)', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-1)).toBe('-1');
  });

  it('leaves an empty string empty', () => {
    expect(csvCell('')).toBe('');
  });
});

describe('csvCell: quoting (RFC 4180)', () => {
  it('quotes a comma', () => {
    expect(csvCell('YUSUF, S.PD')).toBe('"YUSUF, S.PD"');
  });

  it('quotes and doubles a double quote', () => {
    expect(csvCell('SAY "HI"')).toBe('"SAY ""HI"""');
  });

  it('quotes a line feed and a carriage return', () => {
    expect(csvCell('RT 01\nRW 02')).toBe('"RT 01\nRW 02"');
    expect(csvCell('A\r\nB')).toBe('"A\r\nB"');
  });

  it('does not quote a semicolon, an apostrophe or spaces', () => {
    expect(csvCell('INVALID_NIK;NOT_IN_DTKS')).toBe('INVALID_NIK;NOT_IN_DTKS');
    expect(csvCell("MA'RUF")).toBe("MA'RUF");
    expect(csvCell(' A B ')).toBe(' A B ');
  });

  it('neutralises first, then quotes: a formula with a comma', () => {
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
  });
});

describe('csvLine', () => {
  it('joins cells with commas and ends with a newline', () => {
    expect(csvLine(['2021-09', 'PKH', 1, 'YUSUF, S.PD', '=cmd'])).toBe(`2021-09,PKH,1,"YUSUF, S.PD",'=cmd\n`);
  });

  it('keeps empty cells', () => {
    expect(csvLine(['', 'a', ''])).toBe(',a,\n');
  });
});
