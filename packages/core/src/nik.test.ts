import { currentRegions, retiredRegions } from '@padan/wilayah';
import { describe, expect, it } from 'vitest';
import { checkNik, cleanNik, maskNik, nikDerived } from './nik.js';
import { buildRegionCatalog } from './region-catalog.js';

const regions = buildRegionCatalog(
  currentRegions().map((r) => r.code),
  retiredRegions().map((r) => r.code),
);

// 15.71.01 = Kota Jambi, Telanaipura; 12-03-85; serial 0001.
const MALE = '1571011203850001';
// Same, woman: day 12 + 40 = 52.
const FEMALE = '1571015203850002';

const clean = (raw: string) => cleanNik(raw).nik;
const check = (raw: string) => checkNik(cleanNik(raw), regions);
const detail = (raw: string) => check(raw).invalid;

describe('cleanNik: cleaning order from the issue', () => {
  it('returns 16 plain digits unchanged', () => {
    expect(cleanNik(MALE)).toEqual({ nik: MALE, scientific: false, survivingDigits: null });
  });

  it('1. trims ordinary spaces, tabs and line breaks', () => {
    expect(clean(`  ${MALE}\t`)).toBe(MALE);
    expect(clean(`\r\n${MALE}\n`)).toBe(MALE);
  });

  it('1. trims no-break spaces (U+00A0, U+202F, U+2007) left by Excel and web forms', () => {
    expect(clean(`\u00a0${MALE}\u00a0`)).toBe(MALE);
    expect(clean(`\u202f${MALE}\u2007`)).toBe(MALE);
  });

  it('1. trims zero-width spaces and a stray BOM', () => {
    expect(clean(`\u200b${MALE}\ufeff`)).toBe(MALE);
  });

  it('2. unwraps an Excel text formula ="…"', () => {
    expect(clean(`="${MALE}"`)).toBe(MALE);
  });

  it('2. unwraps ="…" after trimming, and trims inside it', () => {
    expect(clean(`  =" ${MALE} "\u00a0`)).toBe(MALE);
  });

  it('3. drops a leading apostrophe (Excel text marker)', () => {
    expect(clean(`'${MALE}`)).toBe(MALE);
  });

  it('3. drops a NIK prefix', () => {
    expect(clean(`NIK ${MALE}`)).toBe(MALE);
    expect(clean(`NIK${MALE}`)).toBe(MALE);
  });

  it('3. drops a NIK: prefix, in any case, with or without spaces around the colon', () => {
    expect(clean(`NIK: ${MALE}`)).toBe(MALE);
    expect(clean(`NIK:${MALE}`)).toBe(MALE);
    expect(clean(`nik : ${MALE}`)).toBe(MALE);
    expect(clean(`Nik:${MALE}`)).toBe(MALE);
  });

  it('3. drops an apostrophe together with a NIK: prefix, inside a formula', () => {
    expect(clean(`="'NIK: ${MALE}"`)).toBe(MALE);
    expect(clean(`'NIK: ${MALE}`)).toBe(MALE);
  });

  it('4. undoes a trailing .0 BEFORE removing dots: 1571011203850001.0 gives 16 digits, not 17', () => {
    expect(clean(`${MALE}.0`)).toBe(MALE);
    expect(check(`${MALE}.0`)).toEqual({ invalid: null, regionUnknown: false });
  });

  it('4. undoes a trailing .00 as well', () => {
    expect(clean(`${MALE}.00`)).toBe(MALE);
  });

  it('4. undoes .0 on a too-short float, leaving its real length (15 digits stays 15)', () => {
    expect(clean('157101120385000.0')).toBe('157101120385000');
    expect(detail('157101120385000.0')).toBe('LENGTH');
  });

  it('4. undoes .0 after the other steps: \'1571011203850001.0 with apostrophe and spaces', () => {
    expect(clean(` '${MALE}.0 `)).toBe(MALE);
  });

  it('5. removes inner spaces', () => {
    expect(clean('1571 0112 0385 0001')).toBe(MALE);
  });

  it('5. removes inner no-break spaces', () => {
    expect(clean('1571\u00a00112\u00a00385\u00a00001')).toBe(MALE);
  });

  it('5. removes dots', () => {
    expect(clean('15.71.01.120385.0001')).toBe(MALE);
  });

  it('5. removes dashes', () => {
    expect(clean('1571-0112-0385-0001')).toBe(MALE);
  });

  it('5. removes mixed separators', () => {
    expect(clean('15.71.01 120385-0001')).toBe(MALE);
  });

  it('6. converts full-width digits', () => {
    expect(clean('１５７１０１１２０３８５０００１')).toBe(MALE);
  });

  it('6. converts full-width digits mixed with separators and a prefix', () => {
    expect(clean("'NIK: １５７１ ０１１２-０３８５.０００１")).toBe(MALE);
  });

  it('leaves letters in place so the value fails as LENGTH rather than being guessed', () => {
    expect(clean('15710112O3850001')).toBe('15710112O3850001');
    expect(detail('15710112O3850001')).toBe('LENGTH');
  });
});

describe('cleanNik: Excel scientific notation', () => {
  it('1.57101E+15 is scientific, with surviving digits 157101', () => {
    expect(cleanNik('1.57101E+15')).toEqual({ nik: '1.57101E+15', scientific: true, survivingDigits: '157101' });
  });

  it('1,57101E+15 (decimal comma of ; files) is scientific, with surviving digits 157101', () => {
    const c = cleanNik('1,57101E+15');
    expect(c.scientific).toBe(true);
    expect(c.survivingDigits).toBe('157101');
  });

  it('lower-case e and a missing + sign are scientific too', () => {
    expect(cleanNik('1.57101e+15').survivingDigits).toBe('157101');
    expect(cleanNik('1.57101E15').survivingDigits).toBe('157101');
  });

  it('scientific notation is recognised after trimming and an apostrophe', () => {
    expect(cleanNik(" '1.57101E+15\u00a0").survivingDigits).toBe('157101');
  });

  it('a plain NIK is never marked scientific', () => {
    expect(cleanNik(`${MALE}.0`).scientific).toBe(false);
    expect(cleanNik(`${MALE}.0`).survivingDigits).toBeNull();
  });
});

describe('checkNik: INVALID_NIK details', () => {
  it('EMPTY: an empty value', () => {
    expect(check('')).toEqual({ invalid: 'EMPTY', regionUnknown: false });
  });

  it('EMPTY: only spaces, including no-break spaces', () => {
    expect(detail('   ')).toBe('EMPTY');
    expect(detail('\u00a0 \u00a0')).toBe('EMPTY');
  });

  it('EMPTY: nothing left after cleaning (an empty formula, a lone apostrophe)', () => {
    expect(detail('=""')).toBe('EMPTY');
    expect(detail("'")).toBe('EMPTY');
  });

  it('EXCEL_SCIENTIFIC: 1.57101E+15', () => {
    expect(check('1.57101E+15')).toEqual({ invalid: 'EXCEL_SCIENTIFIC', regionUnknown: false });
  });

  it('EXCEL_SCIENTIFIC: 1,57101E+15', () => {
    expect(detail('1,57101E+15')).toBe('EXCEL_SCIENTIFIC');
  });

  it('LENGTH: 15 digits', () => {
    expect(detail(MALE.slice(0, 15))).toBe('LENGTH');
  });

  it('LENGTH: 17 digits', () => {
    expect(detail(`${MALE}1`)).toBe('LENGTH');
  });

  it('LENGTH: non-digit characters after cleaning', () => {
    expect(detail('1571011203850O01')).toBe('LENGTH');
    expect(detail('157101120385000X')).toBe('LENGTH');
  });

  it('PROVINCE: 99 is neither a current nor a retired province', () => {
    expect(check('9971011203850001')).toEqual({ invalid: 'PROVINCE', regionUnknown: false });
  });

  it('PROVINCE: 00 is not a province', () => {
    expect(detail('0071011203850001')).toBe('PROVINCE');
  });

  it('PROVINCE: 20 (between 19 and 21) is not a province', () => {
    expect(detail('2001011203850001')).toBe('PROVINCE');
  });

  it('province 91 (Papua, with regency codes retired in 2022) is valid: 9101011203850001', () => {
    expect(check('9101011203850001')).toEqual({ invalid: null, regionUnknown: false });
  });

  it('new Papua provinces 93–96 are valid', () => {
    expect(detail('9301011203850001')).toBeNull();
    expect(detail('9601011203850001')).toBeNull();
  });

  it('a province found only in the retired list is valid', () => {
    const withRetired = buildRegionCatalog(['15', '15.71', '15.71.01'], ['88', '88.01', '88.01.01']);
    expect(checkNik(cleanNik('8801011203850001'), withRetired)).toEqual({ invalid: null, regionUnknown: false });
  });

  it('BIRTHDATE: day 00', () => {
    expect(detail('1571010003850001')).toBe('BIRTHDATE');
  });

  it('BIRTHDATE: day 32 (above 31 for men)', () => {
    expect(detail('1571013203850001')).toBe('BIRTHDATE');
  });

  it('BIRTHDATE: day 40 (between the men and women ranges)', () => {
    expect(detail('1571014003850001')).toBe('BIRTHDATE');
  });

  it('BIRTHDATE: every day from 32 to 40 is invalid', () => {
    for (let dd = 32; dd <= 40; dd++) expect(detail(`157101${dd}03850001`), `day ${dd}`).toBe('BIRTHDATE');
  });

  it('BIRTHDATE: day 72 (above 71 for women)', () => {
    expect(detail('1571017203850001')).toBe('BIRTHDATE');
  });

  it('day 01 and day 31 (men) are valid', () => {
    expect(detail('1571010101850001')).toBeNull();
    expect(detail('1571013101850001')).toBeNull();
  });

  it('day 41 and day 71 (women, 1st and 31st) are valid', () => {
    expect(detail('1571014101850001')).toBeNull();
    expect(detail('1571017101850001')).toBeNull();
  });

  it('BIRTHDATE: month 00', () => {
    expect(detail('1571011200850001')).toBe('BIRTHDATE');
  });

  it('BIRTHDATE: month 13', () => {
    expect(detail('1571011213850001')).toBe('BIRTHDATE');
  });

  it('month 12 is valid', () => {
    expect(detail('1571011212850001')).toBeNull();
  });

  it('BIRTHDATE: 31 April is not a calendar date (men, 310485)', () => {
    expect(detail('1571013104850001')).toBe('BIRTHDATE');
  });

  it('BIRTHDATE: 31 April is not a calendar date (women, 710485)', () => {
    expect(detail('1571017104850001')).toBe('BIRTHDATE');
  });

  it('BIRTHDATE: 30 February (300285)', () => {
    expect(detail('1571013002850001')).toBe('BIRTHDATE');
  });

  it('29 February with yy=00 is valid (2000 is a leap year)', () => {
    expect(detail('1571012902000001')).toBeNull();
  });

  it('29 February with yy=00 is valid for women too (690200)', () => {
    expect(detail('1571016902000001')).toBeNull();
  });

  it('29 February with yy=04 is valid (1904 and 2004 are leap years)', () => {
    expect(detail('1571012902040001')).toBeNull();
  });

  it('BIRTHDATE: 29 February with yy=01 (neither 1901 nor 2001 is a leap year)', () => {
    expect(detail('1571012902010001')).toBe('BIRTHDATE');
  });

  it('BIRTHDATE: 29 February with yy=01 for women (690201)', () => {
    expect(detail('1571016902010001')).toBe('BIRTHDATE');
  });

  it('SERIAL: serial 0000', () => {
    expect(check('1571011203850000')).toEqual({ invalid: 'SERIAL', regionUnknown: false });
  });

  it('serial 0001 and 9999 are valid', () => {
    expect(detail('1571011203850001')).toBeNull();
    expect(detail('1571011203859999')).toBeNull();
  });

  it('the first failing rule names the detail: LENGTH before PROVINCE', () => {
    expect(detail('997101320385000')).toBe('LENGTH');
  });

  it('the first failing rule names the detail: PROVINCE before BIRTHDATE and SERIAL', () => {
    expect(detail('9971013203850000')).toBe('PROVINCE');
  });

  it('the first failing rule names the detail: BIRTHDATE before SERIAL', () => {
    expect(detail('1571013203850000')).toBe('BIRTHDATE');
  });

  it('a cleaned NIK with .0 and separators is valid', () => {
    expect(check(`="'${MALE}"`)).toEqual({ invalid: null, regionUnknown: false });
  });
});

describe('checkNik: region warning', () => {
  it('a NIK of a known regency and kecamatan has no warning', () => {
    expect(check(MALE)).toEqual({ invalid: null, regionUnknown: false });
    expect(check(FEMALE)).toEqual({ invalid: null, regionUnknown: false });
  });

  it('an unknown kecamatan (15.01.03) warns regionUnknown but is not invalid', () => {
    expect(check('1501031203850001')).toEqual({ invalid: null, regionUnknown: true });
  });

  it('an unknown regency (15.99) warns regionUnknown but is not invalid', () => {
    expect(check('1599011203850001')).toEqual({ invalid: null, regionUnknown: true });
  });

  it('a retired regency and kecamatan (91.01.01 Merauke, moved to 93) is not unknown', () => {
    expect(check('9101011203850001').regionUnknown).toBe(false);
  });

  it('an invalid NIK never carries the region warning', () => {
    expect(check('1599011203850000')).toEqual({ invalid: 'SERIAL', regionUnknown: false });
  });
});

describe('nikDerived', () => {
  it('men: sex L and the day as written', () => {
    expect(nikDerived(MALE, null, 2021)).toEqual({ sex: 'L', birthDate: '1985-03-12' });
  });

  it('women: sex P and the day minus 40', () => {
    expect(nikDerived(FEMALE, null, 2021)).toEqual({ sex: 'P', birthDate: '1985-03-12' });
  });

  it('women on the 31st (day 71)', () => {
    expect(nikDerived('1571017101850001', null, 2021)).toEqual({ sex: 'P', birthDate: '1985-01-31' });
  });

  it('the century comes from the recorded birth date (1915)', () => {
    expect(nikDerived('1571011203150001', '1915-03-12', 2021).birthDate).toBe('1915-03-12');
  });

  it('the century comes from the recorded birth date (2015)', () => {
    expect(nikDerived('1571011203150001', '2015-03-12', 2021).birthDate).toBe('2015-03-12');
  });

  it('the recorded date only gives the century: the NIK\'s own day, month and year are kept', () => {
    expect(nikDerived('1571011203860001', '1985-01-01', 2021).birthDate).toBe('1986-03-12');
  });

  it('without a recorded date: the latest century not after the period year (yy=15, 2021 → 2015)', () => {
    expect(nikDerived('1571011203150001', null, 2021).birthDate).toBe('2015-03-12');
  });

  it('without a recorded date: yy equal to the period year stays in the 2000s (yy=21, 2021)', () => {
    expect(nikDerived('1571011203210001', null, 2021).birthDate).toBe('2021-03-12');
  });

  it('without a recorded date: yy after the period year goes to the 1900s (yy=22, 2021 → 1922)', () => {
    expect(nikDerived('1571011203220001', null, 2021).birthDate).toBe('1922-03-12');
  });

  it('without a recorded date: yy=85 → 1985', () => {
    expect(nikDerived(MALE, null, 2023).birthDate).toBe('1985-03-12');
  });

  it('29 February with yy=00 derives 2000-02-29', () => {
    expect(nikDerived('1571016902000001', null, 2021)).toEqual({ sex: 'P', birthDate: '2000-02-29' });
  });

  it('never derives a birth date after the period: NIK 311299 with a recorded (corrected) date 2000-01-01 is 1999-12-31', () => {
    // The NIK's date may legitimately differ from the recorded one (a corrected birth date does not
    // reissue the NIK). Taking the recorded date's century literally gives 2099-12-31, a birth date
    // 78 years after the 2021 period; the century nearest the recorded date is 1900.
    const d = nikDerived('1571013112990001', '2000-01-01', 2021).birthDate;
    expect(d).toBe('1999-12-31');
  });

  it('the century nearest the recorded date, the other way: NIK 010100 with a recorded date 1999-12-31 is 2000-01-01', () => {
    expect(nikDerived('1571010101000001', '1999-12-31', 2021).birthDate).toBe('2000-01-01');
  });
});

describe('maskNik', () => {
  it('shows the first four and last four digits: 1571********0001', () => {
    expect(maskNik(MALE)).toBe('1571********0001');
  });

  it('hides the birth date and kecamatan digits', () => {
    const m = maskNik(FEMALE);
    expect(m).not.toContain('520385');
    expect(m).toHaveLength(16);
  });

  it('masks short values entirely', () => {
    expect(maskNik('12345678')).toBe('********');
    expect(maskNik('123')).toBe('***');
    expect(maskNik('')).toBe('');
  });
});

describe('checkNik: consecutive NIKs of one kecamatan, and of several catalogs', () => {
  // checkNik remembers the last kecamatan prefix it looked up; the answers must stay the catalog's.
  const kotaJambiOnly = buildRegionCatalog(['15', '15.71', '15.71.01'], []);

  it('answers each catalog from its own codes when the same prefix alternates between them', () => {
    expect(checkNik(cleanNik('1501011203850001'), regions)).toEqual({ invalid: null, regionUnknown: false });
    expect(checkNik(cleanNik('1501011203850002'), kotaJambiOnly)).toEqual({ invalid: null, regionUnknown: true });
    expect(checkNik(cleanNik('1501011203850003'), regions)).toEqual({ invalid: null, regionUnknown: false });
    expect(checkNik(cleanNik('1101011203850001'), kotaJambiOnly)).toEqual({ invalid: 'PROVINCE', regionUnknown: false });
    expect(checkNik(cleanNik('1101011203850001'), regions).invalid).toBeNull();
  });

  it('still checks the date and serial of a NIK whose prefix was just seen', () => {
    expect(detail(MALE)).toBeNull();
    expect(detail('1571013203850001')).toBe('BIRTHDATE');
    expect(detail('1571011203850000')).toBe('SERIAL');
    expect(detail('1571011203850009')).toBeNull();
  });
});

describe('nikDerived: a recorded date equal to the NIK\'s, or near it', () => {
  it('gives the NIK\'s date whether or not the recorded one is the same day', () => {
    expect(nikDerived(FEMALE, '1985-03-12', 2021)).toEqual({ sex: 'P', birthDate: '1985-03-12' });
    expect(nikDerived(FEMALE, '1985-03-13', 2021)).toEqual({ sex: 'P', birthDate: '1985-03-12' });
    expect(nikDerived(FEMALE, '1985-12-03', 2021)).toEqual({ sex: 'P', birthDate: '1985-03-12' });
  });
});
