import { describe, expect, it } from 'vitest';
import { cleanNik } from './nik.js';
import { isNearNik, suggestNik } from './nik-suggestion.js';
import type { SuggestionCandidate } from './nik-suggestion.js';
import { nameKey } from './name-key.js';
import { namesMatch } from './name-match.js';

const TRUE_NIK = '1571011203850001';
const plain = (nik: string) => ({ nik, survivingDigits: null });
const near = (nik: string, candidate = TRUE_NIK) => isNearNik(plain(nik), candidate);
const cand = (nik: string, name: string): SuggestionCandidate => ({ nik, nameKey: nameKey(name) });
const suggest = (nik: string, name: string | null, candidates: SuggestionCandidate[]) =>
  suggestNik(cleanNik(nik), name === null ? null : nameKey(name), candidates, namesMatch);

describe('isNearNik: 16 digits', () => {
  it('one changed digit is near', () => {
    expect(near('1571011203850007')).toBe(true);
    expect(near('2571011203850001')).toBe(true);
    expect(near('1571011208850001')).toBe(true);
  });

  it('one swap of adjacent digits is near', () => {
    expect(near('1571011203850010')).toBe(true);
    expect(near('1571012103850001')).toBe(true);
    expect(near('5171011203850001')).toBe(true);
  });

  it('a swap of non-adjacent digits is not near', () => {
    // positions 12 and 15 exchanged: 0001 → 1000
    expect(near('1571011203851000')).toBe(false);
    // positions 6 and 8 exchanged: 120 → 021
    expect(near('1571010213850001')).toBe(false);
  });

  it('two changed digits (not a swap) are not near', () => {
    expect(near('1571011203850022')).toBe(false);
    expect(near('1571011213850002')).toBe(false);
  });

  it('three changed digits are not near', () => {
    expect(near('1571011203850999')).toBe(false);
  });

  it('the identical NIK is not "near" (nothing to suggest)', () => {
    expect(near(TRUE_NIK)).toBe(false);
  });
});

describe('isNearNik: damaged values', () => {
  it('15 digits: one digit deleted in the middle', () => {
    expect(near('157101103850001')).toBe(true);
  });

  it('15 digits: the first digit deleted', () => {
    expect(near('571011203850001')).toBe(true);
  });

  it('15 digits: the last digit deleted', () => {
    expect(near('157101120385000')).toBe(true);
  });

  it('15 digits that are not one deletion away are not near', () => {
    expect(near('157101103850002')).toBe(false);
    expect(near('999999999999999')).toBe(false);
  });

  it('a truncated value (12 digits) that is the candidate\'s prefix is near', () => {
    expect(near('157101120385')).toBe(true);
  });

  it('a truncated value of 10 digits is near; 14 digits too', () => {
    expect(near('1571011203')).toBe(true);
    expect(near('15710112038500')).toBe(true);
  });

  it('a truncated value that is not the candidate\'s prefix is not near', () => {
    expect(near('157101120386')).toBe(false);
  });

  it('9 digits or fewer are too short to be near', () => {
    expect(near('157101120')).toBe(false);
    expect(near('')).toBe(false);
  });

  it('17 digits are not near', () => {
    expect(near(`${TRUE_NIK}1`)).toBe(false);
  });

  it('non-digit text is not near', () => {
    expect(near('15710112O3850001')).toBe(false);
  });

  it('scientific notation with 6 surviving digits: a candidate starting with them is near', () => {
    expect(isNearNik(cleanNik('1.57101E+15'), TRUE_NIK)).toBe(true);
    expect(isNearNik(cleanNik('1,57101E+15'), TRUE_NIK)).toBe(true);
  });

  it('scientific notation: a candidate not starting with the surviving digits is not near', () => {
    expect(isNearNik(cleanNik('1.57101E+15'), '1572011203850001')).toBe(false);
  });

  it('scientific notation with fewer than 6 surviving digits is never near', () => {
    expect(isNearNik(cleanNik('1.5710E+15'), TRUE_NIK)).toBe(false);
    expect(isNearNik({ nik: '1.571E+15', survivingDigits: '1571' }, TRUE_NIK)).toBe(false);
  });

  it('scientific notation with more surviving digits must share all of them', () => {
    expect(isNearNik(cleanNik('1.5710112E+15'), TRUE_NIK)).toBe(true);
    expect(isNearNik(cleanNik('1.5710113E+15'), TRUE_NIK)).toBe(false);
  });

  it('scientific notation: Excel rounds the last shown digit (1571015203850002 shows as 1.57102E+15)', () => {
    // Excel's General format rounds the mantissa to fit the cell (123456789012345 → 1.23457E+14),
    // so the last "surviving" digit may be rounded up. Women's NIKs (day 50–71 right after the
    // kecamatan) round the 6th digit of a 6-digit mantissa up.
    expect(isNearNik(cleanNik('1.57102E+15'), '1571015203850002')).toBe(true);
  });

  it('scientific notation: a candidate that rounds to other digits is not near (1571014… shows as 1.57101E+15, not 1.57102E+15)', () => {
    expect(isNearNik(cleanNik('1.57102E+15'), '1571014103850002')).toBe(false);
  });

  it('scientific notation: rounding applies to longer mantissas too (1.5710153E+15 for 1571015253850002)', () => {
    expect(isNearNik(cleanNik('1.5710153E+15'), '1571015253850002')).toBe(true);
  });
});

describe('suggestNik', () => {
  it('suggests the one near candidate with a matching name', () => {
    expect(suggest('1571011203850007', 'MUHAMMAD YUSUF', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBe(TRUE_NIK);
  });

  it('accepts a spelling variant of the name (M. YUSUF vs MUHAMMAD YUSUF)', () => {
    expect(suggest('1571011203850010', 'M. YUSUF', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBe(TRUE_NIK);
  });

  it('accepts a single-letter typo in the name', () => {
    expect(suggest('1571011203850007', 'SITI AMINA', [cand(TRUE_NIK, 'SITI AMINAH')])).toBe(TRUE_NIK);
  });

  it('no suggestion when the near candidate\'s name is another person\'s', () => {
    expect(suggest('1571011203850007', 'BUDI SANTOSO', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBeNull();
  });

  it('no suggestion when the record has no name (null nameKey)', () => {
    expect(suggest('1571011203850007', null, [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBeNull();
  });

  it('no suggestion when the record\'s name key is empty', () => {
    expect(suggestNik(plain('1571011203850007'), '', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')], namesMatch)).toBeNull();
  });

  it('no suggestion without candidates', () => {
    expect(suggest('1571011203850007', 'MUHAMMAD YUSUF', [])).toBeNull();
  });

  it('no suggestion when the candidate is not near', () => {
    expect(suggest('1571011203859999', 'MUHAMMAD YUSUF', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBeNull();
  });

  it('never guesses between two near candidates with matching names', () => {
    const candidates = [cand('1571011203850001', 'MUHAMMAD YUSUF'), cand('1571011203850003', 'MUH. YUSUF')];
    expect(suggest('1571011203850002', 'MUHAMMAD YUSUF', candidates)).toBeNull();
  });

  it('never guesses between two candidates whatever their order', () => {
    const candidates = [cand('1571011203850003', 'MUH. YUSUF'), cand('1571011203850001', 'MUHAMMAD YUSUF')];
    expect(suggest('1571011203850002', 'MUHAMMAD YUSUF', candidates)).toBeNull();
  });

  it('several DTKS rows with the same NIK count as one person', () => {
    const candidates = [cand(TRUE_NIK, 'MUHAMMAD YUSUF'), cand(TRUE_NIK, 'M. YUSUF'), cand(TRUE_NIK, 'MUHAMMAD YUSUF')];
    expect(suggest('1571011203850007', 'MUHAMMAD YUSUF', candidates)).toBe(TRUE_NIK);
  });

  it('a second near candidate with another person\'s name does not block the suggestion', () => {
    const candidates = [cand('1571011203850003', 'RATNA DEWI'), cand(TRUE_NIK, 'MUHAMMAD YUSUF')];
    expect(suggest('1571011203850002', 'MUHAMMAD YUSUF', candidates)).toBe(TRUE_NIK);
  });

  it('a second candidate that is not near does not block the suggestion', () => {
    const candidates = [cand('1571011203859999', 'MUHAMMAD YUSUF'), cand(TRUE_NIK, 'MUHAMMAD YUSUF')];
    expect(suggest('1571011203850007', 'MUHAMMAD YUSUF', candidates)).toBe(TRUE_NIK);
  });

  it('never suggests the record\'s own NIK', () => {
    expect(suggest(TRUE_NIK, 'MUHAMMAD YUSUF', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBeNull();
  });

  it('suggests for a 15-digit value (one digit lost)', () => {
    expect(suggest('157101103850001', 'MUHAMMAD YUSUF', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBe(TRUE_NIK);
  });

  it('suggests for a truncated value', () => {
    expect(suggest('157101120385', 'MUHAMMAD YUSUF', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBe(TRUE_NIK);
  });

  it('suggests for an Excel-damaged value with 6 surviving digits', () => {
    expect(suggest('1.57101E+15', 'MUHAMMAD YUSUF', [cand(TRUE_NIK, 'MUHAMMAD YUSUF')])).toBe(TRUE_NIK);
  });

  it('an Excel-damaged value matching two people of the same name and birth date gives no suggestion', () => {
    const candidates = [cand(TRUE_NIK, 'MUHAMMAD YUSUF'), cand('1571011203850009', 'MUHAMMAD YUSUF')];
    expect(suggest('1.57101E+15', 'MUHAMMAD YUSUF', candidates)).toBeNull();
  });
});

describe('isNearNik: NIKs rounded to 15 significant digits by a spreadsheet', () => {
  it('1502021212650005 stored as a number comes back as 1502021212650010: near', () => {
    expect(isNearNik({ nik: '1502021212650010', survivingDigits: null }, '1502021212650005')).toBe(true);
  });
  it('1571011505800001 comes back as 1571011505800000: near (one digit too)', () => {
    expect(isNearNik({ nik: '1571011505800000', survivingDigits: null }, '1571011505800001')).toBe(true);
  });
  it('a value not ending in 0 is not a rounding', () => {
    expect(isNearNik({ nik: '1502021212650011', survivingDigits: null }, '1502021212650005')).toBe(false);
  });
  it('a candidate that rounds elsewhere is not near', () => {
    expect(isNearNik({ nik: '1502021212650010', survivingDigits: null }, '1502021212650024')).toBe(false);
  });
});
