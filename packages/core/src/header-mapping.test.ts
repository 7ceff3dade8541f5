import type { Field } from '@padan/contracts';
import { describe, expect, it } from 'vitest';
import { FIELD_ALIASES, HeaderMappingError, mapHeaders, missingRequired, normalizeHeader, REQUIRED_FIELDS } from './header-mapping.js';

/** field → column index, for readable assertions. */
function mapped(headers: string[], source: Parameters<typeof mapHeaders>[1], mapping = {}): Partial<Record<Field, number>> | null {
  const m = mapHeaders(headers, source, mapping);
  if (!m) return null;
  const out: Partial<Record<Field, number>> = {};
  m.fields.forEach((f, i) => (out[f] = m.columns[i]));
  return out;
}

describe('normalizeHeader', () => {
  it('upper-cases', () => {
    expect(normalizeHeader('nik')).toBe('NIK');
  });

  it('trims', () => {
    expect(normalizeHeader(' Nama Lengkap ')).toBe('NAMA_LENGKAP');
  });

  it('reads spaces as _', () => {
    expect(normalizeHeader('Tanggal Lahir')).toBe('TANGGAL_LAHIR');
  });

  it('reads dots as _ and collapses a dot followed by a space (No. KK)', () => {
    expect(normalizeHeader('No. KK')).toBe('NO_KK');
    expect(normalizeHeader('NO.KK')).toBe('NO_KK');
    expect(normalizeHeader('Tgl. Lahir')).toBe('TGL_LAHIR');
  });

  it('reads dashes as _ (nik-ktp)', () => {
    expect(normalizeHeader('nik-ktp')).toBe('NIK_KTP');
    expect(normalizeHeader('NO-KK')).toBe('NO_KK');
  });

  it('collapses runs of separators and underscores', () => {
    expect(normalizeHeader('Nomor  -  NIK')).toBe('NOMOR_NIK');
    expect(normalizeHeader('NO._KK')).toBe('NO_KK');
  });

  it('drops leading and trailing separators', () => {
    expect(normalizeHeader('NIK.')).toBe('NIK');
    expect(normalizeHeader('_NIK_')).toBe('NIK');
  });

  it('strips a BOM', () => {
    expect(normalizeHeader('\ufeffNIK')).toBe('NIK');
  });

  it('trims no-break spaces and tabs', () => {
    expect(normalizeHeader('\u00a0NIK\t')).toBe('NIK');
  });
});

describe('mapHeaders: aliases from the issue', () => {
  const issueAliases: Record<string, Field> = {
    NIK: 'nik',
    NIK_KTP: 'nik',
    NO_NIK: 'nik',
    NOMOR_NIK: 'nik',
    NIK_PENGURUS: 'nik',
    NO_KK: 'no_kk',
    NOKK: 'no_kk',
    NOMOR_KK: 'no_kk',
    NAMA: 'nama',
    NAMA_LENGKAP: 'nama',
    NAMA_PENERIMA: 'nama',
    NAMA_PENGURUS: 'nama',
    NAMA_KPM: 'nama',
    TGL_LAHIR: 'tanggal_lahir',
    TANGGAL_LAHIR: 'tanggal_lahir',
    KODE_WILAYAH: 'kode_wilayah',
    KD_WILAYAH: 'kode_wilayah',
    KODE_DESA: 'kode_wilayah',
    KODE_KELURAHAN: 'kode_wilayah',
    IDDTKS: 'id_dtks',
    ID_DTKS: 'id_dtks',
    JENIS_KELAMIN: 'jenis_kelamin',
    NAMA_IBU_KANDUNG: 'nama_ibu_kandung',
    ALAMAT: 'alamat',
    STATUS: 'status',
  };

  for (const [alias, field] of Object.entries(issueAliases)) {
    it(`${alias} → ${field}`, () => {
      const headers = field === 'nik' ? ['X', alias] : ['NIK', alias];
      const m = mapped(headers, 'DTKS');
      expect(m?.[field]).toBe(1);
    });
  }

  it('FIELD_ALIASES holds exactly the aliases of the issue', () => {
    const all = Object.entries(FIELD_ALIASES).flatMap(([f, as]) => as.map((a) => `${a}→${f}`));
    expect(all.sort()).toEqual(Object.entries(issueAliases).map(([a, f]) => `${a}→${f}`).sort());
  });

  it('matches aliases case-insensitively, with spaces, dots and dashes (No. KK, nik-ktp, " Nama Lengkap ")', () => {
    expect(mapped(['nik-ktp', 'No. KK', ' Nama Lengkap ', 'tgl. lahir', 'Kode Wilayah'], 'PKH')).toEqual({
      nik: 0,
      no_kk: 1,
      nama: 2,
      tanggal_lahir: 3,
      kode_wilayah: 4,
    });
  });

  it('returns fields in the fixed canonical order whatever the column order', () => {
    const m = mapHeaders(['NAMA', 'KODE_DESA', 'NIK', 'NO_KK'], 'PKH');
    expect(m).toEqual({ fields: ['nik', 'no_kk', 'nama', 'kode_wilayah'], columns: [2, 3, 0, 1] });
  });

  it('ignores columns that are no alias', () => {
    expect(mapped(['NO', 'NIK', 'KETERANGAN', 'NAMA'], 'PKH')).toEqual({ nik: 1, nama: 3 });
  });

  it('maps DTKS-only fields for DTKS', () => {
    expect(mapped(['IDDTKS', 'NIK', 'NAMA', 'JENIS_KELAMIN', 'NAMA_IBU_KANDUNG', 'ALAMAT', 'STATUS'], 'DTKS')).toEqual({
      nik: 1,
      nama: 2,
      id_dtks: 0,
      jenis_kelamin: 3,
      nama_ibu_kandung: 4,
      alamat: 5,
      status: 6,
    });
  });

  it('ignores DTKS-only fields in a program file', () => {
    for (const program of ['PKH', 'SEMBAKO', 'BST', 'PBI'] as const) {
      expect(mapped(['IDDTKS', 'NIK', 'NAMA', 'JENIS_KELAMIN', 'NAMA_IBU_KANDUNG', 'ALAMAT', 'STATUS'], program)).toEqual({ nik: 1, nama: 2 });
    }
  });

  it('two columns for a DTKS-only field in a program file are not an error (both ignored)', () => {
    expect(mapped(['NIK', 'IDDTKS', 'ID_DTKS'], 'PKH')).toEqual({ nik: 0 });
  });

  it('returns null when no column maps to nik (a title row)', () => {
    expect(mapHeaders(['DAFTAR PENERIMA PKH', '', ''], 'PKH')).toBeNull();
    expect(mapHeaders(['NAMA', 'NO_KK'], 'DTKS')).toBeNull();
    expect(mapHeaders([], 'PKH')).toBeNull();
  });

  it('a title row is null even if it would be ambiguous for another field', () => {
    expect(mapHeaders(['NAMA', 'NAMA_KPM'], 'PKH')).toBeNull();
  });
});

describe('mapHeaders: two columns for one field', () => {
  it('NIK and NIK_PENGURUS without a mapping → HeaderMappingError', () => {
    expect(() => mapHeaders(['NIK', 'NAMA', 'NIK_PENGURUS'], 'PKH')).toThrow(HeaderMappingError);
  });

  it('the error names both columns as written in the file', () => {
    let err: unknown;
    try {
      mapHeaders([' Nik ', 'Nama', 'Nik Pengurus'], 'PKH');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HeaderMappingError);
    const msg = (err as Error).message;
    expect(msg).toContain('Nik');
    expect(msg).toContain('Nik Pengurus');
    expect(msg).toContain('nik');
    expect(msg).toMatch(/mapping/i);
  });

  it('two name columns (NAMA and NAMA_KPM) → HeaderMappingError naming both', () => {
    expect(() => mapHeaders(['NIK', 'NAMA', 'NAMA_KPM'], 'PKH')).toThrow(/NAMA.*NAMA_KPM/);
  });

  it('a mapping choosing NIK_PENGURUS decides', () => {
    expect(mapped(['NIK', 'NAMA', 'NIK_PENGURUS'], 'PKH', { nik: 'NIK_PENGURUS' })).toEqual({ nik: 2, nama: 1 });
  });

  it('a mapping choosing NIK decides', () => {
    expect(mapped(['NIK', 'NAMA', 'NIK_PENGURUS'], 'PKH', { nik: 'NIK' })).toEqual({ nik: 0, nama: 1 });
  });

  it('the mapping\'s column name is normalized like headers ("nik pengurus")', () => {
    expect(mapped(['NIK', 'NAMA', 'NIK_PENGURUS'], 'PKH', { nik: 'nik pengurus' })).toEqual({ nik: 2, nama: 1 });
  });
});

describe('mapHeaders: mapping file overrides', () => {
  it('maps a column with a name that is no alias', () => {
    expect(mapped(['Nomor Identitas', 'Nama KK'], 'PKH', { nik: 'Nomor Identitas', nama: 'Nama KK' })).toEqual({ nik: 0, nama: 1 });
  });

  it('a mapping overrides an alias present in the file', () => {
    expect(mapped(['NIK', 'NAMA', 'NAMA_ALIAS'], 'PKH', { nama: 'NAMA_ALIAS' })).toEqual({ nik: 0, nama: 2 });
  });

  it('a mapping naming a column that does not exist leaves the field unmapped', () => {
    expect(mapped(['NIK', 'NAMA'], 'PKH', { tanggal_lahir: 'LAHIR' })).toEqual({ nik: 0, nama: 1 });
  });

  it('a mapped nik column that does not exist means no header (null)', () => {
    expect(mapHeaders(['NIK_LAIN', 'NAMA'], 'PKH', { nik: 'NOMOR' })).toBeNull();
  });

  it('a mapping for a DTKS-only field is ignored for a program', () => {
    expect(mapped(['NIK', 'KET'], 'PKH', { status: 'KET' })).toEqual({ nik: 0 });
  });

  it('a mapping for a DTKS-only field applies to DTKS', () => {
    expect(mapped(['NIK', 'NAMA', 'KET'], 'DTKS', { status: 'KET' })).toEqual({ nik: 0, nama: 1, status: 2 });
  });
});

describe('missingRequired', () => {
  it('requires nik everywhere and nama in DTKS', () => {
    expect(REQUIRED_FIELDS).toEqual({ DTKS: ['nik', 'nama'], PROGRAM: ['nik'] });
  });

  it('DTKS without NAMA misses nama', () => {
    const m = mapHeaders(['NIK', 'NO_KK'], 'DTKS');
    expect(m).not.toBeNull();
    expect(missingRequired(m!, 'DTKS')).toEqual(['nama']);
  });

  it('DTKS with NIK and NAMA misses nothing', () => {
    expect(missingRequired(mapHeaders(['NIK', 'NAMA'], 'DTKS')!, 'DTKS')).toEqual([]);
  });

  it('a program file needs only nik', () => {
    for (const program of ['PKH', 'SEMBAKO', 'BST', 'PBI'] as const) {
      expect(missingRequired(mapHeaders(['NIK'], program)!, program)).toEqual([]);
    }
  });
});
