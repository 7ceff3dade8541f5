import type { FileCompleted, NormalizedBatch, NormalizedRecord, Source } from '@padan/contracts';
import { nameKey } from '@padan/core';

/** Fixtures shared by the match stage's tests: one period, a two-person DTKS release in one household. */
export const P = '2021-09';

export function rec(row: number, nik: string, nama: string, householdId: string | null = null): NormalizedRecord {
  return {
    row, nikRaw: nik, nik, nikInvalid: null, nikSex: 'L', nikBirthDate: null, noKk: null, nama, nameKey: nameKey(nama),
    birthDate: null, kodeWilayah: null, regency: null, householdId, deceased: householdId === null ? null : false, warnings: [],
  };
}

export function batch(source: Source, file: string, records: NormalizedRecord[]): NormalizedBatch {
  return { v: 1, period: P, source, file, runId: 'r', format: 'csv', fields: ['nik', 'nama'], records };
}

/** The DTKS file's announcement: two rows, so the release is complete once both are indexed. */
export const dtksDone: FileCompleted = {
  v: 1, period: P, source: 'DTKS', file: 'dtks.csv', runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 1,
  fields: ['nik', 'nama'], headerRow: 1, rowsRead: 2, rowsEmitted: 2, rowsRejected: 0,
};
export const dtks = batch('DTKS', 'dtks.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF', 'H1'), rec(2, '1571015708850002', 'SITI AMINAH', 'H1')]);
