/** The registry and the aid programs padan reconciles. Codes are upper-case on the wire. */
export const PROGRAMS = ['PKH', 'SEMBAKO', 'BST', 'PBI'] as const;
export type Program = (typeof PROGRAMS)[number];

/** DTKS is a source like the programs, but it is the reference every program is matched against. */
export const SOURCES = ['DTKS', ...PROGRAMS] as const;
export type Source = (typeof SOURCES)[number];

/** Parses a program or source code case-insensitively; returns undefined when it is not one. */
export function parseSource(raw: string): Source | undefined {
  const up = raw.trim().toUpperCase();
  return (SOURCES as readonly string[]).includes(up) ? (up as Source) : undefined;
}

/** The canonical fields that readers map columns onto. */
export const FIELDS = [
  'nik',
  'no_kk',
  'nama',
  'tanggal_lahir',
  'kode_wilayah',
  'id_dtks',
  'jenis_kelamin',
  'nama_ibu_kandung',
  'alamat',
  'status',
] as const;
export type Field = (typeof FIELDS)[number];

export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
