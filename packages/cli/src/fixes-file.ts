import { basename, extname } from 'node:path';
import { FIELDS, parseSource } from '@padan/contracts';
import type { Field, Source } from '@padan/contracts';
import { InputError, readCsvRows, readJsonlRows, sha256File } from '@padan/io';
import { fixKey } from '@padan/pipeline';
import type { Fix } from '@padan/pipeline';

/**
 * A fixes file (`padan dlq redrive --fixes FILE`): corrected rows that take the place of dead
 * letters. CSV (header row, `,` or `;`) or JSON Lines, one fixed row each:
 *   source (or program)   PKH, SEMBAKO, BST, PBI or DTKS
 *   file (or source_file) the source file's name, as in rejected.jsonl
 *   row (or source_row)   the source row, as in rejected.jsonl
 *   nik, nama, no_kk, tanggal_lahir, kode_wilayah, id_dtks, jenis_kelamin, nama_ibu_kandung,
 *   alamat, status        the row's values, under the canonical field names; nik is required
 *                         (and nama for DTKS)
 * A line of rejected.jsonl with `raw` replaced by the fields is a valid JSON Lines fix: its
 * `reason`, `message` and `raw` keys are ignored.
 */
export const FIXES_FORMAT_HELP = `Fixes file: CSV (header row) or JSON Lines (.jsonl), one corrected row each:
  source  (or program)      PKH, SEMBAKO, BST, PBI or DTKS
  file    (or source_file)  the source file name, as in rejected.jsonl
  row     (or source_row)   the source row, as in rejected.jsonl
  nik, nama, no_kk, tanggal_lahir, kode_wilayah, id_dtks, jenis_kelamin,
  nama_ibu_kandung, alamat, status: the row's values (nik required; nama too for DTKS)
Example fixes.csv:
  source,file,row,nik,nama,tanggal_lahir
  PKH,pkh.csv,7,1571020101700003,RUSLI,1970-01-01
In JSON Lines, a line of rejected.jsonl with "raw" replaced by the fields works as is.
Each fix must name a dead letter of the period's last run; the same fixes file twice changes nothing.`;

export interface FixesFile {
  readonly file: string;
  readonly sha256: string;
  readonly fixes: readonly Fix[];
}

const KEY_NAMES: Readonly<Record<string, 'source' | 'file' | 'row'>> = { source: 'source', program: 'source', file: 'file', source_file: 'file', row: 'row', source_row: 'row' };
/** Keys of a rejected.jsonl line that a fix copied from it may keep. */
const IGNORED = new Set(['reason', 'message', 'raw']);
const FIELD_SET: ReadonlySet<string> = new Set(FIELDS);

/** Turns one fixes-file record (name → text) into a Fix, or an InputError naming the file, the row, the field and the rule. */
function toFix(record: ReadonlyMap<string, string>, fixesFile: string, fixesRow: number): Fix {
  const key: Partial<Record<'source' | 'file' | 'row', string>> = {};
  const fields: Field[] = [];
  const values: string[] = [];
  for (const [name, value] of record) {
    const n = name.replace(/^\uFEFF/, '').trim().toLowerCase();
    const k = KEY_NAMES[n];
    if (k) key[k] = value.trim();
    else if (FIELD_SET.has(n)) {
      if (fields.includes(n as Field)) throw new InputError(fixesFile, fixesRow, 'FIX_FIELD', `field ${n} is given twice`);
      fields.push(n as Field);
      values.push(value);
    } else if (!IGNORED.has(n)) throw new InputError(fixesFile, fixesRow, 'FIX_FIELD', `unknown column "${name}"; use source, file, row and the fields ${FIELDS.join(', ')}`);
  }
  const source = key.source ? parseSource(key.source) : undefined;
  if (!source) throw new InputError(fixesFile, fixesRow, 'FIX_KEY', 'source must be one of DTKS, PKH, SEMBAKO, BST, PBI');
  if (!key.file) throw new InputError(fixesFile, fixesRow, 'FIX_KEY', 'file is empty; give the source file name as in rejected.jsonl');
  const row = Number(key.row);
  if (!key.row || !Number.isSafeInteger(row) || row < 1) throw new InputError(fixesFile, fixesRow, 'FIX_KEY', 'row must be the source row, a whole number from 1, as in rejected.jsonl');
  const nik = fields.indexOf('nik');
  if (nik < 0) throw new InputError(fixesFile, fixesRow, 'FIX_FIELD', 'the nik field is required (it may be empty, which makes the row an INVALID_NIK:EMPTY finding)');
  if (source === 'DTKS' && !fields.includes('nama')) throw new InputError(fixesFile, fixesRow, 'FIX_FIELD', 'a DTKS row needs the nama field');
  return { source, file: key.file, row, fields, values, fixesFile, fixesRow };
}

/** Reads a fixes file whole (fixes are a handful of hand-corrected rows) and checks every row. */
export async function readFixesFile(path: string): Promise<FixesFile> {
  const name = basename(path);
  const ext = extname(path).toLowerCase();
  let sha256: string;
  try {
    sha256 = (await sha256File(path)).sha256;
  } catch (e) {
    throw new InputError(name, null, 'READABLE', `cannot read the fixes file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  const fixes: Fix[] = [];
  if (ext === '.csv' || ext === '.txt') {
    let header: string[] | null = null;
    for await (const r of readCsvRows(path)) {
      if (r.cells.every((c) => c.trim() === '')) continue;
      if (!header) {
        header = r.cells;
        continue;
      }
      if (r.cells.length !== header.length) throw new InputError(name, r.line, 'FIX_ROW', `${r.cells.length} cells for ${header.length} columns; quote cells that hold the delimiter`);
      fixes.push(toFix(new Map(header.map((h, i) => [h, r.cells[i] ?? ''])), name, r.line));
    }
  } else if (ext === '.jsonl' || ext === '.ndjson') {
    for await (const l of readJsonlRows(path)) {
      if ('error' in l) throw new InputError(name, l.line, 'FIX_ROW', `not a JSON object (${l.error}); write one object per line`);
      fixes.push(toFix(new Map(Object.entries(l.object)), name, l.line));
    }
  } else throw new InputError(name, null, 'FORMAT', `unsupported fixes file type "${ext}"; use .csv or .jsonl`);
  if (fixes.length === 0) throw new InputError(name, null, 'FIX_ROW', 'no fixed rows in the file');
  const seen = new Map<string, Fix>();
  for (const f of fixes) {
    const k = fixKey(f.source, f.file, f.row);
    const earlier = seen.get(k);
    if (earlier) throw new InputError(name, f.fixesRow, 'FIX_DUPLICATE', `${f.source}/${f.file} row ${f.row} is fixed twice (also at row ${earlier.fixesRow}); keep one`);
    seen.set(k, f);
  }
  return { file: name, sha256, fixes };
}
