import type { Reason } from '@padan/contracts';
import type { FlaggedRecord } from '@padan/core';
import { readCsvRows } from '@padan/io';
import { SnapshotError } from './snapshot-folder.js';

const NEEDED = ['program', 'nik_raw', 'nik', 'nama', 'reasons', 'regency_code'] as const;

/**
 * findings.csv neutralises a cell that starts like a spreadsheet formula with a leading apostrophe
 * (`csvCell`); the comparison needs the value as read from the input, so that apostrophe goes.
 */
function unescapeCell(v: string): string {
  return v.length > 1 && v[0] === "'" && /^[=+\-@\t\r]/.test(v.slice(1)) ? v.slice(1) : v;
}

/**
 * The flagged program records of a snapshot's findings.csv, one at a time (DTKS rows left out:
 * they are no program's records). The columns are found by name in the header.
 */
export async function* readFlaggedRecords(findingsCsv: string): AsyncGenerator<FlaggedRecord> {
  let col: Record<(typeof NEEDED)[number], number> | null = null;
  for await (const row of readCsvRows(findingsCsv, ',')) {
    if (row.cells.length === 1 && row.cells[0] === '') continue;
    if (col === null) {
      const at = (name: string) => row.cells.indexOf(name);
      const missing = NEEDED.filter((n) => at(n) < 0);
      if (missing.length > 0) throw new SnapshotError(`${findingsCsv} has no column ${missing.join(', ')}: it is not a findings.csv padan wrote; run padan again for this period`);
      col = Object.fromEntries(NEEDED.map((n) => [n, at(n)])) as Record<(typeof NEEDED)[number], number>;
      continue;
    }
    const cell = (n: (typeof NEEDED)[number]) => unescapeCell(row.cells[(col as Record<string, number>)[n] as number] ?? '');
    const program = cell('program');
    if (program === 'DTKS') continue;
    const reasons = (cell('reasons') === '' ? [] : cell('reasons').split(';')) as Reason[];
    yield {
      program,
      // An INVALID_NIK record's `nik` is the raw NIK as cleaned so far, not a NIK: the key then uses the raw value and the name.
      nik: reasons.includes('INVALID_NIK') ? '' : cell('nik'),
      nikRaw: cell('nik_raw'),
      nama: cell('nama'),
      reasons,
      regency: cell('regency_code'),
    };
  }
}
