/**
 * The compact fields of one DTKS row that reconciliation needs: what the versioned index stores.
 * `ord` orders rows of a release (file, then row), so "first" never depends on arrival.
 */
export interface DtksPerson {
  readonly nik: string;
  readonly nikRaw: string;
  readonly file: string;
  readonly row: number;
  readonly householdId: string | null;
  readonly noKk: string | null;
  readonly nama: string | null;
  readonly nameKey: string;
  readonly birthDate: string | null;
  readonly regency: string | null;
  readonly deceased: boolean;
  readonly warnings: readonly string[];
}

/** Orders records by source file name, then numeric row: the documented meaning of "first". */
export function compareByFileRow(a: { file: string; row: number }, b: { file: string; row: number }): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.row - b.row;
}
