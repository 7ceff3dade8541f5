import { basename, extname } from 'node:path';
import type { Field, InputFormat, RejectReason, Source } from '@padan/contracts';
import { FIELD_ALIASES, HeaderMappingError, mapHeaders, missingRequired } from '@padan/core';
import type { ColumnMapping, HeaderMap } from '@padan/core';
import { readCsvRowBatches } from './csv-rows.js';
import { InputError } from './input-error.js';
import { readJsonlRows } from './jsonl-rows.js';
import type { JsonlError } from './jsonl-rows.js';
import { DEFAULT_READER_LIMITS, READER_LIMITS_ENV } from './reader-limits.js';
import type { ReaderLimits } from './reader-limits.js';
import { readXlsxRows, XlsxFormatError } from './xlsx-reader.js';
import { sha256File } from './sha256-file.js';

/** What a reader yields: the header once, then rows and dead letters in file order. */
export type SourceEvent =
  /** `names`: the header row's cells as written (JSON Lines: the first object's keys), for checks on a file's shape. */
  | { readonly kind: 'header'; readonly fields: Field[]; readonly headerRow: number; readonly names: readonly string[] }
  | { readonly kind: 'row'; readonly row: number; readonly values: string[] }
  | { readonly kind: 'reject'; readonly row: number; readonly reason: RejectReason; readonly message: string; readonly raw: string };

export function detectFormat(path: string): InputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new InputError(basename(path), null, 'FORMAT', `unsupported file type "${ext}"; use .csv, .xlsx or .jsonl (.xls: re-save as .xlsx)`);
}

/** Checksum of an input file; an unreadable file is an InputError naming it. */
export async function inputChecksum(path: string): Promise<{ sha256: string; bytes: number }> {
  try {
    return await sha256File(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(basename(path), null, 'READABLE', `cannot read the file (${code ?? (e as Error).message}); check the path and permissions`);
  }
}

/** Rows above the header are titles; give up looking for a header after this many. */
const HEADER_SEARCH_ROWS = 50;
const RAW_LIMIT = 2000;

export interface SourceReadOptions {
  readonly source: Source;
  readonly mapping?: ColumnMapping;
  /** Bounds on hostile input (default DEFAULT_READER_LIMITS). */
  readonly limits?: ReaderLimits;
  /** Where temporary files may go (XLSX shared strings); default the OS temp dir. */
  readonly tempDir?: string;
}

function headerOrThrow(file: string, cells: readonly string[], line: number, opts: SourceReadOptions, checkRequired = true): HeaderMap | null {
  let map: HeaderMap | null;
  try {
    map = mapHeaders(cells, opts.source, opts.mapping);
  } catch (e) {
    if (e instanceof HeaderMappingError) throw new InputError(file, line, 'AMBIGUOUS_COLUMN', e.message);
    throw e;
  }
  if (!map || !checkRequired) return map;
  const missing = missingRequired(map, opts.source);
  if (missing.length > 0) {
    const names = missing.map((f) => `${f} (${FIELD_ALIASES[f].join(', ')})`).join('; ');
    throw new InputError(file, line, 'REQUIRED_COLUMN', `required column missing from the header: ${names}; rename the column or map it with --mapping`);
  }
  return map;
}

function noHeader(file: string, opts: SourceReadOptions, rows: number): InputError {
  return new InputError(
    file,
    null,
    'REQUIRED_COLUMN',
    `no header row with a NIK column in the first ${rows} rows (accepted names: ${FIELD_ALIASES.nik.join(', ')}${opts.mapping?.nik ? `, or "${opts.mapping.nik}" from --mapping` : ''}); rename the column or map it with --mapping`,
  );
}

function project(cells: readonly string[], columns: readonly number[]): string[] {
  const out = new Array<string>(columns.length);
  for (let i = 0; i < columns.length; i++) out[i] = cells[columns[i] as number] ?? '';
  return out;
}

function isBlank(cells: readonly string[]): boolean {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
}

/**
 * Reads a program or DTKS file as a stream of events. Row numbers are the row's line (CSV) or sheet
 * row (XLSX) minus the header's, blank rows keeping their numbers; for JSON Lines, the line number.
 * Blank rows are not records and are not yielded. Throws InputError for unusable files.
 */
export async function* readSource(path: string, opts: SourceReadOptions): AsyncGenerator<SourceEvent> {
  for await (const batch of readSourceBatches(path, opts)) yield* batch;
}

/** readSource in batches of events (one per chunk read): the fast path for ingest. */
export async function* readSourceBatches(path: string, opts: SourceReadOptions): AsyncGenerator<SourceEvent[]> {
  const file = basename(path);
  const format = detectFormat(path);
  const limits = opts.limits ?? DEFAULT_READER_LIMITS;
  try {
    if (format === 'jsonl') yield* batched(readJsonl(path, file, opts, limits));
    else {
      const rows = format === 'csv' ? readCsvRowBatches(path, { limits }) : batched(xlsxCells(path, limits, opts.tempDir));
      yield* readTable(rows, file, opts, limits);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof XlsxFormatError) throw new InputError(file, e.row ?? null, e.rule ?? 'READABLE', e.message);
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, null, 'READABLE', `cannot read the file (${code ?? (e as Error).message}); check the path and permissions`);
  }
}

const BATCH = 1000;

async function* batched<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

interface TableRow {
  readonly line: number;
  readonly cells: string[];
  readonly raw: string;
  readonly unterminated?: boolean;
  readonly tooLong?: boolean;
}

async function* xlsxCells(path: string, limits: ReaderLimits, tempDir: string | undefined): AsyncGenerator<TableRow> {
  for await (const r of readXlsxRows(path, { limits, ...(tempDir === undefined ? {} : { tempDir }) })) {
    yield r.tooLong ? { line: r.row, cells: [], raw: '', tooLong: true } : { line: r.row, cells: r.values, raw: '' };
  }
}

function tooLongMessage(file: string, what: string, row: number, limits: ReaderLimits): string {
  return `${file} ${what} ${row}: longer than ${limits.maxLineBytes} bytes (${READER_LIMITS_ENV.maxLineBytes}); set aside unread, reading goes on at the next line; check for a missing line break or a stray quote`;
}

async function* readTable(batches: AsyncIterable<TableRow[]>, file: string, opts: SourceReadOptions, limits: ReaderLimits): AsyncGenerator<SourceEvent[]> {
  let map: HeaderMap | null = null;
  let headerLine = 0;
  let width = 0;
  let seen = 0;
  for await (const rows of batches) {
    const out: SourceEvent[] = [];
    for (const r of rows) {
      if (map === null) {
        if (r.tooLong || r.unterminated) {
          if (++seen >= HEADER_SEARCH_ROWS) throw noHeader(file, opts, HEADER_SEARCH_ROWS);
          continue;
        }
        if (isBlank(r.cells)) continue;
        map = headerOrThrow(file, r.cells, r.line, opts);
        if (map === null) {
          if (++seen >= HEADER_SEARCH_ROWS) throw noHeader(file, opts, HEADER_SEARCH_ROWS);
          continue;
        }
        headerLine = r.line;
        width = r.cells.length;
        out.push({ kind: 'header', fields: map.fields, headerRow: headerLine, names: r.cells.slice() });
        continue;
      }
      const row = r.line - headerLine;
      const raw = r.raw.length > RAW_LIMIT ? r.raw.slice(0, RAW_LIMIT) : r.raw;
      if (r.tooLong) {
        out.push({ kind: 'reject', row, reason: 'LINE_TOO_LONG', message: tooLongMessage(file, 'row', row, limits), raw });
        continue;
      }
      if (r.unterminated) {
        out.push({
          kind: 'reject',
          row,
          reason: 'RAGGED_ROW',
          message: `${file} row ${row}: a quoted field opened on this line is not closed within ${limits.maxQuotedLines} lines; this line is set aside and reading goes on at the next line; check for a stray quote`,
          raw,
        });
        continue;
      }
      if (isBlank(r.cells)) continue;
      // CSV rows must have the header's width; XLSX rows may omit trailing empty cells.
      if (r.raw !== '' && r.cells.length !== width) {
        out.push({
          kind: 'reject',
          row,
          reason: 'RAGGED_ROW',
          message: `${file} row ${row}: ${r.cells.length} cells where the header has ${width}; check for a stray delimiter or quote`,
          raw,
        });
        continue;
      }
      // A CSV row's cells are cut from its text: one scan of the text answers for all of them.
      if (r.raw !== '' ? r.raw.includes('\ufffd') : hasReplacementChar(r.cells)) {
        out.push({ kind: 'reject', row, reason: 'UNDECODABLE_TEXT', message: `${file} row ${row}: bytes that are not UTF-8; re-save the file as UTF-8`, raw });
        continue;
      }
      out.push({ kind: 'row', row, values: project(r.cells, map.columns) });
    }
    if (out.length > 0) yield out;
  }
  if (map === null) {
    if (seen === 0) throw new InputError(file, null, 'REQUIRED_COLUMN', 'the file has no rows (it is empty or holds only blank lines); export the list again');
    throw noHeader(file, opts, seen);
  }
}

function hasReplacementChar(cells: readonly string[]): boolean {
  for (const c of cells) if (c.includes('\ufffd')) return true;
  return false;
}

function jsonlMessage(file: string, line: number, error: JsonlError, limits: ReaderLimits): string {
  switch (error) {
    case 'LINE_TOO_LONG':
      return tooLongMessage(file, 'line', line, limits);
    case 'NESTING_TOO_DEEP':
      return `${file} line ${line}: arrays or objects nested more than ${limits.maxJsonDepth} deep (${READER_LIMITS_ENV.maxJsonDepth}); a record is a flat object of fields`;
    case 'INVALID_JSON':
      return `${file} line ${line}: not valid JSON`;
    case 'NOT_AN_OBJECT':
      return `${file} line ${line}: valid JSON but not an object`;
    case 'UNDECODABLE_TEXT':
      return `${file} line ${line}: bytes that are not UTF-8; re-save the file as UTF-8`;
  }
}

async function* readJsonl(path: string, file: string, opts: SourceReadOptions, limits: ReaderLimits): AsyncGenerator<SourceEvent> {
  // JSON Lines has no header row: keys are the headers. Objects usually share one key set, so the
  // mapping is resolved once per distinct key set. The first object's fields are the file's.
  const maps = new Map<string, { map: HeaderMap; keys: string[] }>();
  let fields: Field[] | null = null;
  // Dead letters are yielded as they come, even before the first object: holding them until a
  // header is known would hold a whole file of bad lines.
  for await (const l of readJsonlRows(path, limits)) {
    if ('error' in l) {
      yield { kind: 'reject', row: l.line, reason: l.error, message: jsonlMessage(file, l.line, l.error, limits), raw: l.raw.slice(0, RAW_LIMIT) };
      continue;
    }
    const keys = Object.keys(l.object);
    const sig = keys.join('\u0000');
    let entry = maps.get(sig);
    if (!entry) {
      entry = jsonlKeyMap(file, keys, l.line, opts, fields === null);
      maps.set(sig, entry);
      if (fields === null) {
        fields = entry.map.fields;
        yield { kind: 'header', fields, headerRow: 0, names: keys };
      }
    }
    // Project onto the first object's fields, so every row of the file has one layout; a key an
    // object lacks (the NIK included) is an empty value: that row's finding, not the file's.
    const own = entry;
    const values = new Array<string>((fields as Field[]).length);
    (fields as Field[]).forEach((f, i) => {
      const at = own.map.fields.indexOf(f);
      const key = at < 0 ? undefined : own.keys[own.map.columns[at] as number];
      values[i] = key === undefined ? '' : (l.object[key] ?? '');
    });
    yield { kind: 'row', row: l.line, values };
  }
  if (fields === null) yield { kind: 'header', fields: ['nik'], headerRow: 0, names: [] };
}

function withKey(keys: readonly string[], key: string): string[] {
  const out = keys.slice();
  out.push(key);
  return out;
}

/**
 * Maps one key set of a JSON Lines file. An object without a NIK key is a record with an empty
 * NIK (as `"NIK": null` is): the key set is mapped as if it had one. The first object's key set
 * must still hold the other required fields (NAMA in DTKS), as a CSV header must.
 */
function jsonlKeyMap(file: string, keys: string[], line: number, opts: SourceReadOptions, first: boolean): { map: HeaderMap; keys: string[] } {
  let map = headerOrThrow(file, keys, line, opts, first);
  if (map === null) {
    const nikKey = opts.mapping?.nik ?? 'NIK';
    // The extra key lies past the object's keys: its value reads as ''.
    map = headerOrThrow(file, withKey(keys, nikKey), line, opts, first);
    if (map === null) throw new InputError(file, line, 'REQUIRED_COLUMN', `no NIK key can be mapped (accepted names: ${FIELD_ALIASES.nik.join(', ')}); map it with --mapping`);
  }
  return { map, keys };
}
