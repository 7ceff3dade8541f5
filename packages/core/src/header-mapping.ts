import type { Field, Source } from '@padan/contracts';

/**
 * Maps a file's column headers onto canonical fields. Headers match case-insensitively after
 * trimming, with spaces, dots and dashes read as `_` (so `No. KK`, `NO-KK` and `no_kk` agree).
 */
export const FIELD_ALIASES: Readonly<Record<Field, readonly string[]>> = {
  nik: ['NIK', 'NIK_KTP', 'NO_NIK', 'NOMOR_NIK', 'NIK_PENGURUS'],
  no_kk: ['NO_KK', 'NOKK', 'NOMOR_KK'],
  nama: ['NAMA', 'NAMA_LENGKAP', 'NAMA_PENERIMA', 'NAMA_PENGURUS', 'NAMA_KPM'],
  tanggal_lahir: ['TGL_LAHIR', 'TANGGAL_LAHIR'],
  kode_wilayah: ['KODE_WILAYAH', 'KD_WILAYAH', 'KODE_DESA', 'KODE_KELURAHAN'],
  id_dtks: ['IDDTKS', 'ID_DTKS'],
  jenis_kelamin: ['JENIS_KELAMIN'],
  nama_ibu_kandung: ['NAMA_IBU_KANDUNG'],
  alamat: ['ALAMAT'],
  status: ['STATUS'],
};

/** Fields only DTKS carries; a program file's column with such a name is ignored. */
const DTKS_ONLY: ReadonlySet<Field> = new Set(['id_dtks', 'jenis_kelamin', 'nama_ibu_kandung', 'alamat', 'status']);

export const REQUIRED_FIELDS: Readonly<Record<'DTKS' | 'PROGRAM', readonly Field[]>> = {
  DTKS: ['nik', 'nama'],
  PROGRAM: ['nik'],
};

/** Per field, the column name a user's `--mapping` file chose for one source. */
export type ColumnMapping = Partial<Record<Field, string>>;

export function normalizeHeader(h: string): string {
  return h
    .replace(/^\ufeff/, '')
    .trim()
    .toUpperCase()
    .replace(/[\s.\-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

export interface HeaderMap {
  /** Canonical fields present, in a fixed order. */
  readonly fields: Field[];
  /** columns[i] = index of the column holding fields[i]. */
  readonly columns: number[];
}

/** Thrown when headers cannot be mapped unambiguously; the message names the columns involved. */
export class HeaderMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeaderMappingError';
  }
}

/**
 * Maps headers to fields. Returns null when no column maps to `nik` (the row is not the header).
 * Throws HeaderMappingError when two columns map to one field and no mapping decides.
 */
export function mapHeaders(headers: readonly string[], source: Source, mapping: ColumnMapping = {}): HeaderMap | null {
  const normalized = headers.map(normalizeHeader);
  const byField = new Map<Field, number[]>();
  const fieldsInOrder = Object.keys(FIELD_ALIASES) as Field[];
  for (const field of fieldsInOrder) {
    if (source !== 'DTKS' && DTKS_ONLY.has(field)) continue;
    const chosen = mapping[field];
    if (chosen !== undefined) {
      const idx = normalized.indexOf(normalizeHeader(chosen));
      if (idx >= 0) byField.set(field, [idx]);
      continue;
    }
    const aliases = FIELD_ALIASES[field];
    const hits: number[] = [];
    normalized.forEach((h, i) => {
      if (aliases.includes(h)) hits.push(i);
    });
    if (hits.length > 0) byField.set(field, hits);
  }
  if (!byField.has('nik')) return null;
  const fields: Field[] = [];
  const columns: number[] = [];
  for (const field of fieldsInOrder) {
    const hits = byField.get(field);
    if (!hits) continue;
    if (hits.length > 1) {
      const names = hits.map((i) => `"${headers[i]?.trim()}"`).join(' and ');
      throw new HeaderMappingError(
        `columns ${names} both map to field ${field}; choose one with --mapping (e.g. {"${source}": {"${field}": ${names.split(' and ')[0]}}})`,
      );
    }
    fields.push(field);
    columns.push(hits[0] as number);
  }
  return { fields, columns };
}

/** The required fields missing from a header map, for the "missing column" error. */
export function missingRequired(map: HeaderMap, source: Source): Field[] {
  const required = REQUIRED_FIELDS[source === 'DTKS' ? 'DTKS' : 'PROGRAM'];
  return required.filter((f) => !map.fields.includes(f));
}
