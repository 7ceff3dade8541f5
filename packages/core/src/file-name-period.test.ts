import { describe, expect, it } from 'vitest';
import { fileNamePeriodLabel, periodInFileName } from './file-name-period.js';

const label = (name: string) => {
  const p = periodInFileName(name);
  return p === null ? null : fileNamePeriodLabel(p);
};

describe('periodInFileName: names that give a period', () => {
  it.each([
    ['pkh_2021-07.csv', '2021-07'],
    ['dtks-jambi-2021-09.csv', '2021-09'],
    ['pkh-2021-09.xlsx', '2021-09'],
    ['bst-202107.jsonl', '2021-07'],
    ['BST_072021.csv', '2021-07'],
    ['sembako 07-2021.csv', '2021-07'],
    ['sembako_7_2021.csv', '2021-07'],
    ['PBI.2021.07.xlsx', '2021-07'],
    ['DTKS_JULI_2021.xlsx', '2021-07'],
    ['DTKS Juli 2021 (final).xlsx', '2021-07'],
    ['dtks_juli2021.csv', '2021-07'],
    ['pkhJuli2021.xlsx', '2021-07'],
    ['2021_Agustus_PKH.xlsx', '2021-08'],
    ['Data KPM PKH September 2021.xlsx', '2021-09'],
    ['PBI-JKN_Sept_2021.csv', '2021-09'],
    ['bst_sep21.csv', '2021-09'],
    ['BST-OKT-2021.jsonl', '2021-10'],
    ['sembako_oct_2021.csv', '2021-10'],
    ['pkh_NOPEMBER_2021.xlsx', '2021-11'],
    ['pkh_Desember_2020.xlsx', '2020-12'],
    ['DTKS_Pebruari_2022.csv', '2022-02'],
    ['dtks_march_2022.csv', '2022-03'],
    ['DTKS_JULI_JAMBI_2021.xlsx', '2021-07'],
    ['pkh_2021-07_juli.csv', '2021-07'],
    ['pkh 2021-07 (copy of 2021-07).csv', '2021-07'],
    ['C:\\data\\juli\\pkh_2021-09.csv', '2021-09'],
    ['exports/2021-07/pkh_2021-09.csv', '2021-09'],
    ['PKH_1501_2021-09.xlsx', '2021-09'],
    ['pkh 15.71 2021-09.csv', '2021-09'],
  ])('%s → %s', (name, expected) => {
    expect(label(name)).toBe(expected);
  });

  it('a month name without a year gives the month only', () => {
    expect(periodInFileName('pkh_juli.csv')).toEqual({ year: null, month: 7, text: 'juli' });
    expect(label('DTKS September final.xlsx')).toBe('month 09');
  });

  it('keeps the part of the name it read, for the message', () => {
    expect(periodInFileName('DTKS_JULI_2021.xlsx')?.text).toBe('JULI_2021');
    expect(periodInFileName('bst-202107.jsonl')?.text).toBe('202107');
  });
});

describe('periodInFileName: names that give none, or no clear one', () => {
  it.each([
    // no period at all
    'pkh.csv',
    'dtks.csv',
    'DTKS_JAMBI_FINAL.xlsx',
    'sembako (1).csv',
    'pkh_v2.csv',
    'dtks_2021.csv',
    // full dates: an export or upload date, not the period
    'pkh_export_2021-10-02.csv',
    'dtks_20211002.csv',
    'bst_02-10-2021.jsonl',
    'BST 15 Juli 2021.xlsx',
    'pkh_2021-09-30T17-30-45.csv',
    'download_20211002_173045.csv',
    // codes and counts
    'pkh_kab_1571.csv',
    'pkh_1571011001.csv',
    'pbi_15.71.01.1001.csv',
    'pkh_1571_2021_09.csv',
    'pkh_tahap_3_2021.csv',
    'pkh_tw_3_2021.csv',
    'rekap_v2_2021.xlsx',
    'sembako_q3_2021.csv',
    'pbi_1571011505800001.csv',
    'pkh_1980-05.csv',
    'pkh_2021-13.csv',
    // abbreviations alone are words, not months
    'pkh_mar.csv',
    'data_des_kerinci.csv',
    'pkh_jan_fix.csv',
    // two different periods
    'pkh_2021-07_to_2021-09.csv',
    'dtks_juli_agustus_2021.csv',
    'pkh_2021-07_september.csv',
  ])('%s → nothing', (name) => {
    expect(periodInFileName(name)).toBeNull();
  });

  it('a file name with the period and an export date gives the period', () => {
    expect(label('pkh_2021-09_export_20211002.csv')).toBe('2021-09');
    expect(label('DTKS_SEPTEMBER_2021_diunduh_2021-10-02.xlsx')).toBe('2021-09');
  });
});
