import { currentRegions, retiredRegions } from '@padan/wilayah';
import { describe, expect, it } from 'vitest';
import { buildRegionCatalog } from './region-catalog.js';
import { parseRegionCode } from './region-code.js';

const regions = buildRegionCatalog(
  currentRegions().map((r) => r.code),
  retiredRegions().map((r) => r.code),
);

const parse = (raw: string) => parseRegionCode(raw, regions);

describe('parseRegionCode', () => {
  it('reads a plain 10-digit code (15.71.01.1001 Simpang IV Sipin)', () => {
    expect(parse('1571011001')).toEqual({ code: '1571011001', regency: '1571', warning: null });
  });

  it('reads a dotted code to the same undotted code', () => {
    expect(parse('15.71.01.1001')).toEqual({ code: '1571011001', regency: '1571', warning: null });
  });

  it('trims surrounding spaces', () => {
    expect(parse('  15.71.01.1001 ')).toEqual({ code: '1571011001', regency: '1571', warning: null });
  });

  it('the regency is the first 4 digits (15.01 Kerinci)', () => {
    expect(parse('15.01.01.2001').regency).toBe('1501');
  });

  it('a desa code (village part starting with 2) is read like a kelurahan', () => {
    expect(parse('1501012001')).toEqual({ code: '1501012001', regency: '1501', warning: null });
  });

  it('empty → code and regency null, no warning', () => {
    expect(parse('')).toEqual({ code: null, regency: null, warning: null });
  });

  it('blank → code and regency null, no warning', () => {
    expect(parse('   ')).toEqual({ code: null, regency: null, warning: null });
  });

  it('9 digits → REGION_CODE_INVALID', () => {
    expect(parse('157101100')).toEqual({ code: null, regency: null, warning: 'REGION_CODE_INVALID' });
  });

  it('11 digits → REGION_CODE_INVALID', () => {
    expect(parse('15710110011')).toEqual({ code: null, regency: null, warning: 'REGION_CODE_INVALID' });
  });

  it('a regency or kecamatan code alone → REGION_CODE_INVALID', () => {
    expect(parse('15.71').warning).toBe('REGION_CODE_INVALID');
    expect(parse('15.71.01').warning).toBe('REGION_CODE_INVALID');
  });

  it('letters → REGION_CODE_INVALID', () => {
    expect(parse('15.71.01.10O1').warning).toBe('REGION_CODE_INVALID');
    expect(parse('Kota Jambi').warning).toBe('REGION_CODE_INVALID');
  });

  it('wrongly placed dots → REGION_CODE_INVALID', () => {
    expect(parse('157.101.1001').warning).toBe('REGION_CODE_INVALID');
    expect(parse('15..71.01.1001').warning).toBe('REGION_CODE_INVALID');
  });

  it('an unknown village → REGION_CODE_UNKNOWN, code and regency still given', () => {
    expect(parse('15.71.01.9999')).toEqual({ code: '1571019999', regency: '1571', warning: 'REGION_CODE_UNKNOWN' });
  });

  it('an unknown regency (15.99) → REGION_CODE_UNKNOWN', () => {
    expect(parse('1599011001')).toEqual({ code: '1599011001', regency: '1599', warning: 'REGION_CODE_UNKNOWN' });
  });
});

describe('parseRegionCode: hand-typed separators', () => {
  it('accepts spaces and dashes where the dots go', () => {
    const catalog = buildRegionCatalog(['15.71.01.1001'], []);
    const parse = parseRegionCode;
    expect(parse('15 71 01 1001', catalog)).toEqual({ code: '1571011001', regency: '1571', warning: null });
    expect(parse('15-71-01-1001', catalog)).toEqual({ code: '1571011001', regency: '1571', warning: null });
    expect(parse('15..71.01.1001', catalog).warning).toBe('REGION_CODE_INVALID');
  });
});

describe('parseRegionCode: shapes read without the pattern', () => {
  it('reads 10 digits and the dotted form alike, and leaves mixed separators to the pattern', () => {
    expect(parse(' 15.71.01.1001 ')).toEqual({ code: '1571011001', regency: '1571', warning: null });
    expect(parse('15.7101.1001')).toEqual({ code: '1571011001', regency: '1571', warning: null });
    expect(parse('15-71 01.1001')).toEqual({ code: '1571011001', regency: '1571', warning: null });
  });

  it('refuses a dotted form with a letter, and digits of the wrong count', () => {
    expect(parse('15.71.0A.1001').warning).toBe('REGION_CODE_INVALID');
    expect(parse('157101100').warning).toBe('REGION_CODE_INVALID');
    expect(parse('15.71.01.10011').warning).toBe('REGION_CODE_INVALID');
  });
});

describe('parseRegionCode: the same code in a row, and several catalogs', () => {
  // parseRegionCode remembers the last code it read; the answers must stay the catalog's.
  const kotaJambiOnly = buildRegionCatalog(['15', '15.71', '15.71.01', '15.71.01.1001'], []);

  it('answers each catalog from its own villages when the same code alternates between them', () => {
    expect(parseRegionCode('15.01.01.1004', regions).warning).toBeNull();
    expect(parseRegionCode('15.01.01.1004', kotaJambiOnly).warning).toBe('REGION_CODE_UNKNOWN');
    expect(parseRegionCode('15.01.01.1004', regions)).toEqual({ code: '1501011004', regency: '1501', warning: null });
    expect(parseRegionCode('1501011004', regions)).toEqual({ code: '1501011004', regency: '1501', warning: null });
  });
});
