import type { Field } from '@padan/contracts';
import { currentRegions, retiredRegions } from '@padan/wilayah';
import { describe, expect, it } from 'vitest';
import { fieldIndex, normalizeRecord } from './normalize-record.js';
import type { NormalizeContext } from './normalize-record.js';
import { buildRegionCatalog } from './region-catalog.js';

const regions = buildRegionCatalog(
  currentRegions().map((r) => r.code),
  retiredRegions().map((r) => r.code),
);

const PROGRAM_FIELDS: Field[] = ['nik', 'no_kk', 'nama', 'tanggal_lahir', 'kode_wilayah'];
const DTKS_FIELDS: Field[] = ['nik', 'no_kk', 'nama', 'tanggal_lahir', 'kode_wilayah', 'id_dtks', 'status'];

const csvProgram: NormalizeContext = { regions, format: 'csv', isDtks: false, periodYear: 2021 };
const xlsxProgram: NormalizeContext = { regions, format: 'xlsx', isDtks: false, periodYear: 2021 };
const jsonlProgram: NormalizeContext = { regions, format: 'jsonl', isDtks: false, periodYear: 2021 };
const csvDtks: NormalizeContext = { regions, format: 'csv', isDtks: true, periodYear: 2021 };

const prog = (values: string[], ctx = csvProgram, row = 1) => normalizeRecord(row, values, fieldIndex(PROGRAM_FIELDS), ctx);
const dtks = (values: string[], ctx = csvDtks, row = 1) => normalizeRecord(row, values, fieldIndex(DTKS_FIELDS), ctx);

describe('normalizeRecord: program rows', () => {
  it('a clean row, end to end', () => {
    expect(prog(["'1571 0112 0385 0001", '1571010101100001', 'Muhammad Yusuf, S.Pd', '12/03/1985', '15.71.01.1001'], csvProgram, 7)).toEqual({
      row: 7,
      nikRaw: "'1571 0112 0385 0001",
      nik: '1571011203850001',
      nikInvalid: null,
      nikSex: 'L',
      nikBirthDate: '1985-03-12',
      noKk: '1571010101100001',
      nama: 'Muhammad Yusuf, S.Pd',
      nameKey: 'MUHAMMAD YUSUF',
      birthDate: '1985-03-12',
      kodeWilayah: '1571011001',
      regency: '1571',
      householdId: null,
      deceased: null,
      warnings: [],
    });
  });

  it('a woman\'s NIK gives sex P and the day minus 40', () => {
    const r = prog(['1571015203850002', '', 'SITI AMINAH', '1985-03-12', '1571011001']);
    expect(r.nikSex).toBe('P');
    expect(r.nikBirthDate).toBe('1985-03-12');
  });

  it('an invalid NIK keeps its raw value, has a detail and no derived fields', () => {
    const r = prog(['1.57101E+15', '', 'BUDI', '', '']);
    expect(r.nikRaw).toBe('1.57101E+15');
    expect(r.nikInvalid).toBe('EXCEL_SCIENTIFIC');
    expect(r.nikSex).toBeNull();
    expect(r.nikBirthDate).toBeNull();
  });

  it('an empty NIK is INVALID_NIK EMPTY', () => {
    expect(prog(['', '', 'BUDI', '', '']).nikInvalid).toBe('EMPTY');
  });

  it('a float-printed NIK (.0) is cleaned to 16 digits and valid', () => {
    const r = prog(['1571011203850001.0', '', 'BUDI', '', '']);
    expect(r.nik).toBe('1571011203850001');
    expect(r.nikInvalid).toBeNull();
  });

  it('an unknown NIK kecamatan gives the warning NIK_REGION_UNKNOWN, not INVALID_NIK', () => {
    const r = prog(['1501031203850001', '', 'BUDI', '', '']);
    expect(r.nikInvalid).toBeNull();
    expect(r.warnings).toEqual(['NIK_REGION_UNKNOWN']);
  });

  it('the XLSX format reads an Excel date serial as a birth date (31118 → 1985-03-12)', () => {
    const r = prog(['1571011203850001', '', 'BUDI', '31118', ''], xlsxProgram);
    expect(r.birthDate).toBe('1985-03-12');
    expect(r.warnings).toEqual([]);
  });

  it('CSV does not read a serial as a date: BIRTHDATE_UNPARSEABLE', () => {
    const r = prog(['1571011203850001', '', 'BUDI', '31118', '']);
    expect(r.birthDate).toBeNull();
    expect(r.warnings).toEqual(['BIRTHDATE_UNPARSEABLE']);
  });

  it('JSONL does not read a serial as a date: BIRTHDATE_UNPARSEABLE', () => {
    const r = prog(['1571011203850001', '', 'BUDI', '31118', ''], jsonlProgram);
    expect(r.birthDate).toBeNull();
    expect(r.warnings).toEqual(['BIRTHDATE_UNPARSEABLE']);
  });

  it('an impossible date (31/02/1980) gives BIRTHDATE_UNPARSEABLE and a null birth date', () => {
    const r = prog(['1571011203850001', '', 'BUDI', '31/02/1980', '']);
    expect(r.birthDate).toBeNull();
    expect(r.warnings).toContain('BIRTHDATE_UNPARSEABLE');
  });

  it('an empty birth date is null without a warning', () => {
    const r = prog(['1571011203850001', '', 'BUDI', '  ', '']);
    expect(r.birthDate).toBeNull();
    expect(r.warnings).toEqual([]);
  });

  it('the recorded birth date gives the NIK date its century', () => {
    const r = prog(['1571011203150001', '', 'BUDI', '12/03/1915', '']);
    expect(r.nikBirthDate).toBe('1915-03-12');
  });

  it('an unknown village code gives REGION_CODE_UNKNOWN but keeps the regency', () => {
    const r = prog(['1571011203850001', '', 'BUDI', '', '1571019999']);
    expect(r.warnings).toEqual(['REGION_CODE_UNKNOWN']);
    expect(r.regency).toBe('1571');
  });

  it('a malformed region code gives REGION_CODE_INVALID and no regency', () => {
    const r = prog(['1571011203850001', '', 'BUDI', '', '15710']);
    expect(r.warnings).toEqual(['REGION_CODE_INVALID']);
    expect(r.kodeWilayah).toBeNull();
    expect(r.regency).toBeNull();
  });

  it('a blank name gives null nama and nameKey', () => {
    const r = prog(['1571011203850001', '', '  ', '', '']);
    expect(r.nama).toBeNull();
    expect(r.nameKey).toBeNull();
  });

  it('a bad No. KK is null', () => {
    expect(prog(['1571011203850001', '12345', 'BUDI', '', '']).noKk).toBeNull();
  });

  it('a program row has no household id and no deceased flag, even if values are passed at those positions', () => {
    const r = normalizeRecord(1, ['1571011203850001', 'BUDI', 'HH-1', 'MENINGGAL'], fieldIndex(['nik', 'nama', 'id_dtks', 'status']), csvProgram);
    expect(r.householdId).toBeNull();
    expect(r.deceased).toBeNull();
    expect(r.warnings).toEqual([]);
  });

  it('absent columns (only nik) give nulls and no warnings', () => {
    const r = normalizeRecord(3, ['1571011203850001'], fieldIndex(['nik']), csvProgram);
    expect(r).toMatchObject({ nama: null, nameKey: null, birthDate: null, kodeWilayah: null, regency: null, noKk: null, warnings: [] });
  });

  it('collects several warnings in one record', () => {
    const r = prog(['1501031203850001', '', 'BUDI', 'kemarin', '1571019999']);
    expect([...r.warnings].sort()).toEqual(['BIRTHDATE_UNPARSEABLE', 'NIK_REGION_UNKNOWN', 'REGION_CODE_UNKNOWN']);
  });
});

describe('normalizeRecord: DTKS rows', () => {
  it('carries the DTKS household id (IDDTKS)', () => {
    const r = dtks(['1571011203850001', '1571010101100001', 'BUDI', '1985-03-12', '1571011001', ' HH-0001 ', 'HIDUP']);
    expect(r.householdId).toBe('HH-0001');
    expect(r.deceased).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('an empty household id is null', () => {
    expect(dtks(['1571011203850001', '', 'BUDI', '', '', '', 'HIDUP']).householdId).toBeNull();
  });

  it('MENINGGAL DUNIA → deceased', () => {
    expect(dtks(['1571011203850001', '', 'BUDI', '', '', 'HH-1', 'Meninggal Dunia']).deceased).toBe(true);
  });

  it('an unknown status (PINDAH) → STATUS_UNKNOWN and treated as alive', () => {
    const r = dtks(['1571011203850001', '', 'BUDI', '', '', 'HH-1', 'PINDAH']);
    expect(r.deceased).toBe(false);
    expect(r.warnings).toEqual(['STATUS_UNKNOWN']);
  });

  it('an empty status → STATUS_UNKNOWN and treated as alive', () => {
    const r = dtks(['1571011203850001', '', 'BUDI', '', '', 'HH-1', '']);
    expect(r.deceased).toBe(false);
    expect(r.warnings).toEqual(['STATUS_UNKNOWN']);
  });

  it('no STATUS column → alive, no warning', () => {
    const r = normalizeRecord(1, ['1571011203850001', 'BUDI'], fieldIndex(['nik', 'nama']), csvDtks);
    expect(r.deceased).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('no IDDTKS column → household id null', () => {
    const r = normalizeRecord(1, ['1571011203850001', 'BUDI'], fieldIndex(['nik', 'nama']), csvDtks);
    expect(r.householdId).toBeNull();
  });

  it('XLSX DTKS reads serial birth dates too', () => {
    const r = dtks(['1571011203850001', '', 'BUDI', '31118', '', 'HH-1', 'HIDUP'], { ...csvDtks, format: 'xlsx' });
    expect(r.birthDate).toBe('1985-03-12');
  });
});
