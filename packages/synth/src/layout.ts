import type { DateStyle } from './dates.js';
import type { NameCase } from './names.js';
import type { Rng } from './prng.js';

/**
 * The shape of each generated file: format, column names (aliases padan accepts, varied per seed),
 * date and region formats. Drawn once per run from the 'layout' stream.
 */

export type Program = 'PKH' | 'SEMBAKO' | 'BST' | 'PBI';
export type Field = 'no' | 'nik' | 'nama' | 'kk' | 'tgl' | 'wil' | 'jk' | 'tahap' | 'nominal' | 'bank';

export interface Column {
  readonly field: Field;
  readonly header: string;
}

export interface ProgramLayout {
  readonly program: Program;
  readonly format: 'xlsx' | 'csv' | 'jsonl';
  readonly fileName: string;
  readonly columns: readonly Column[];
  readonly titleLines: readonly string[];
  readonly delimiter: ',' | ';';
  readonly eol: '\n' | '\r\n';
  readonly bom: boolean;
  readonly dateStyle: DateStyle;
  /** XLSX: share of birth dates written as date serial cells. */
  readonly dateSerialShare: number;
  /** XLSX: share of plain NIKs / No. KK written as numeric cells; JSONL: as JSON numbers. */
  readonly numericShare: number;
  readonly nameCase: NameCase;
  readonly dottedRegion: boolean;
  /** Always quote the name column (CSV). */
  readonly quoteNames: boolean;
}

export interface DtksLayout {
  readonly fileName: string;
  /** Headers in the fixed column order: IDDTKS, NO_KK, NIK, NAMA, HUB, JK, TGL, IBU, ALAMAT, WILAYAH, STATUS. */
  readonly headers: readonly string[];
  readonly dateStyle: DateStyle;
  readonly dottedRegion: boolean;
  readonly title: string;
}

export interface Layout {
  readonly dtks: DtksLayout;
  readonly programs: readonly ProgramLayout[];
}

const MONTHS = ['JANUARI', 'FEBRUARI', 'MARET', 'APRIL', 'MEI', 'JUNI', 'JULI', 'AGUSTUS', 'SEPTEMBER', 'OKTOBER', 'NOVEMBER', 'DESEMBER'];

export function periodLabel(period: string): string {
  return `${MONTHS[Number(period.slice(5, 7)) - 1] ?? ''} ${period.slice(0, 4)}`;
}

export function chooseLayout(rng: Rng, period: string, formats: 'mixed' | 'csv'): Layout {
  const label = periodLabel(period);
  const dtks: DtksLayout = {
    fileName: `dtks-jambi-${period}.csv`,
    headers: [
      rng.pick(['IDDTKS', 'ID_DTKS']),
      rng.pick(['NO_KK', 'NOKK', 'NOMOR_KK', 'No. KK']),
      rng.pick(['NIK', 'NIK', 'NIK_KTP', 'NO_NIK']),
      rng.pick(['NAMA', 'NAMA', 'NAMA_LENGKAP']),
      rng.pick(['HUB_KELUARGA', 'HUBUNGAN_KELUARGA', 'SHDK']),
      rng.pick(['JENIS_KELAMIN', 'Jenis Kelamin']),
      rng.pick(['TGL_LAHIR', 'TANGGAL_LAHIR', 'Tgl Lahir']),
      rng.pick(['NAMA_IBU_KANDUNG', 'Nama Ibu Kandung']),
      'ALAMAT',
      rng.pick(['KODE_WILAYAH', 'KD_WILAYAH', 'KODE_DESA']),
      'STATUS',
    ],
    dateStyle: rng.pickWeighted<DateStyle>([['ISO', 6], ['DMY_DASH', 2], ['DMY_SLASH', 2]]),
    dottedRegion: rng.chance(0.5),
    title: `DATA TERPADU KESEJAHTERAAN SOSIAL (DTKS) PROVINSI JAMBI PERIODE ${label}`,
  };

  const mixed = formats === 'mixed';
  const pkh: ProgramLayout = {
    program: 'PKH',
    format: mixed ? 'xlsx' : 'csv',
    fileName: `pkh-${period}.${mixed ? 'xlsx' : 'csv'}`,
    columns: [
      { field: 'no', header: 'NO' },
      { field: 'nik', header: rng.pick(['NIK_PENGURUS', 'NIK']) },
      { field: 'nama', header: rng.pick(['NAMA_PENGURUS', 'NAMA_KPM']) },
      { field: 'kk', header: rng.pick(['NO_KK', 'NOMOR_KK']) },
      { field: 'tgl', header: rng.pick(['TGL_LAHIR', 'TANGGAL_LAHIR']) },
      { field: 'wil', header: rng.pick(['KODE_WILAYAH', 'KD_WILAYAH']) },
      { field: 'tahap', header: 'TAHAP' },
      { field: 'nominal', header: 'NOMINAL' },
    ],
    titleLines: [`DAFTAR KPM PKH PROVINSI JAMBI ${label}`, ''],
    delimiter: ';',
    eol: '\r\n',
    bom: !mixed,
    dateStyle: rng.pickWeighted<DateStyle>([['ISO', 1], ['DMY_SLASH', 1]]),
    dateSerialShare: mixed ? 0.4 : 0,
    numericShare: mixed ? 0.5 : 0,
    nameCase: 'UPPER',
    dottedRegion: rng.chance(0.5),
    quoteNames: false,
  };

  const sembakoTitle = rng.int(3);
  const sembako: ProgramLayout = {
    program: 'SEMBAKO',
    format: 'csv',
    fileName: `sembako-${period}.csv`,
    columns: [
      { field: 'nik', header: 'NIK' },
      { field: 'nama', header: rng.pick(['NAMA_PENERIMA', 'NAMA_KPM']) },
      { field: 'kk', header: rng.pick(['NOMOR_KK', 'NO_KK']) },
      { field: 'tgl', header: rng.pick(['TANGGAL_LAHIR', 'TGL_LAHIR']) },
      { field: 'wil', header: rng.pick(['KD_WILAYAH', 'KODE_WILAYAH']) },
      { field: 'bank', header: 'BANK' },
    ],
    titleLines: sembakoTitle === 0 ? [] : sembakoTitle === 1 ? [`DAFTAR PENERIMA PROGRAM SEMBAKO ${label}`] : [`DAFTAR PENERIMA PROGRAM SEMBAKO ${label}`, ''],
    delimiter: ',',
    eol: '\n',
    bom: false,
    dateStyle: rng.pickWeighted<DateStyle>([['DMY_SLASH', 2], ['DMY_DASH', 2], ['ISO_TIME', 1]]),
    dateSerialShare: 0,
    numericShare: 0,
    nameCase: 'UPPER',
    dottedRegion: rng.chance(0.5),
    quoteNames: false,
  };

  const bstHasBirth = rng.chance(0.3);
  const bst: ProgramLayout = {
    program: 'BST',
    format: mixed ? 'jsonl' : 'csv',
    fileName: `bst-${period}.${mixed ? 'jsonl' : 'csv'}`,
    columns: [
      { field: 'nik', header: 'NIK' },
      { field: 'nama', header: rng.pick(['NAMA_PENERIMA', 'NAMA_KPM']) },
      { field: 'kk', header: 'NO_KK' },
      ...(bstHasBirth ? [{ field: 'tgl', header: 'TGL_LAHIR' } as const] : []),
      { field: 'wil', header: rng.pick(['KODE_WILAYAH', 'KD_WILAYAH']) },
      { field: 'tahap', header: 'TAHAP' },
    ],
    titleLines: [],
    delimiter: ',',
    eol: '\n',
    bom: false,
    dateStyle: 'ISO',
    dateSerialShare: 0,
    numericShare: mixed ? 0.3 : 0,
    nameCase: 'UPPER',
    dottedRegion: rng.chance(0.5),
    quoteNames: false,
  };

  const pbiHasRegion = rng.chance(0.7);
  const pbi: ProgramLayout = {
    program: 'PBI',
    format: 'csv',
    fileName: `pbi-${period}.csv`,
    columns: [
      { field: 'nik', header: 'NIK' },
      { field: 'nama', header: rng.pick(['NAMA', 'NAMA_LENGKAP']) },
      { field: 'kk', header: 'NO_KK' },
      { field: 'jk', header: 'JENIS_KELAMIN' },
      { field: 'tgl', header: rng.pick(['TGL_LAHIR', 'TANGGAL_LAHIR']) },
      ...(pbiHasRegion ? [{ field: 'wil', header: rng.pick(['KODE_WILAYAH', 'KODE_KELURAHAN']) } as const] : []),
    ],
    titleLines: [],
    delimiter: ',',
    eol: '\r\n',
    bom: false,
    dateStyle: 'ISO',
    dateSerialShare: 0,
    numericShare: 0,
    nameCase: rng.chance(0.5) ? 'TITLE' : 'UPPER',
    dottedRegion: rng.chance(0.5),
    quoteNames: true,
  };

  return { dtks, programs: [pkh, sembako, bst, pbi] };
}
