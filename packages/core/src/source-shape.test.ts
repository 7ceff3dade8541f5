import { describe, expect, it } from 'vitest';
import { checkSourceShape, sourceShape } from './source-shape.js';

// Headers as the readers find them: the golden fixtures' and the generator's variants.
const DTKS = ['IDDTKS', 'NO_KK', 'NIK', 'NAMA', 'JENIS_KELAMIN', 'TGL_LAHIR', 'NAMA_IBU_KANDUNG', 'ALAMAT', 'KODE_WILAYAH', 'STATUS'];
const DTKS_VARIANT = ['ID DTKS', 'No. KK', 'NIK_KTP', 'NAMA_LENGKAP', 'SHDK', 'Jenis Kelamin', 'Tgl Lahir', 'Nama Ibu Kandung', 'ALAMAT', 'KD_WILAYAH', ' status '];
const PKH = ['NIK_PENGURUS', 'NAMA_PENGURUS', 'NO_KK', 'TGL_LAHIR', 'KODE_WILAYAH'];
const PKH_GENERATED = ['NO', 'NIK', 'NAMA_KPM', 'NOMOR_KK', 'TANGGAL_LAHIR', 'KD_WILAYAH', 'TAHAP', 'NOMINAL'];

describe('sourceShape', () => {
  it('finds the household id and status columns by their aliases, as written', () => {
    expect(sourceShape(DTKS)).toEqual({ householdId: 'IDDTKS', status: 'STATUS' });
    expect(sourceShape(DTKS_VARIANT)).toEqual({ householdId: 'ID DTKS', status: 'status' });
    expect(sourceShape(PKH)).toEqual({ householdId: null, status: null });
  });

  it('counts the columns a DTKS --mapping names', () => {
    expect(sourceShape(['NIK', 'NAMA', 'ID_KELUARGA', 'KETERANGAN_HIDUP'], { id_dtks: 'ID KELUARGA', status: 'KETERANGAN HIDUP' })).toEqual({ householdId: 'ID_KELUARGA', status: 'KETERANGAN_HIDUP' });
  });
});

describe('checkSourceShape', () => {
  it('a DTKS release is a DTKS release; a program list is a program list', () => {
    expect(checkSourceShape('DTKS', 'dtks.csv', DTKS)).toBeNull();
    expect(checkSourceShape('DTKS', 'dtks.csv', DTKS_VARIANT)).toBeNull();
    expect(checkSourceShape('PKH', 'pkh.csv', PKH)).toBeNull();
    expect(checkSourceShape('PKH', 'pkh.xlsx', PKH_GENERATED)).toBeNull();
  });

  it('a program list given as DTKS: no household id, no status', () => {
    const w = checkSourceShape('DTKS', 'pkh.csv', PKH);
    expect(w).toMatchObject({ check: 'DTKS_LOOKS_LIKE_PROGRAM', source: 'DTKS', file: 'pkh.csv' });
    expect(w?.message).toMatch(/no household id column \(IDDTKS, ID_DTKS\) and no status column \(STATUS\): it looks like a program list/);
  });

  it('a DTKS extract with only one of the two columns is not flagged', () => {
    expect(checkSourceShape('DTKS', 'dtks.csv', DTKS.filter((h) => h !== 'STATUS'))).toBeNull();
    expect(checkSourceShape('DTKS', 'dtks.csv', DTKS.filter((h) => h !== 'IDDTKS'))).toBeNull();
  });

  it('a DTKS release given as a program list: household id and status', () => {
    const w = checkSourceShape('PKH', 'dtks.csv', DTKS);
    expect(w).toMatchObject({ check: 'PROGRAM_LOOKS_LIKE_DTKS', source: 'PKH', file: 'dtks.csv' });
    expect(w?.message).toMatch(/given as the PKH list but its header has a household id column \("IDDTKS"\) and a status column \("STATUS"\)/);
  });

  it('a program list that keeps a DTKS reference but no status is not flagged', () => {
    expect(checkSourceShape('PBI', 'pbi.csv', ['NIK', 'NAMA', 'ID_DTKS'])).toBeNull();
    expect(checkSourceShape('BST', 'bst.csv', ['NIK', 'NAMA', 'STATUS'])).toBeNull();
  });
});
