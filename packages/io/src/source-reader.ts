import { basename, extname } from 'node:path';
import type { Field, InputFormat, RejectReason, Source } from '@padan/contracts';
import { FIELD_ALIASES, HeaderMappingError, mapHeaders, missingRequired } from '@padan/core';
import type { ColumnMapping, HeaderMap } from '@padan/core';
import { readCsvRowBatches } from './csv-rows.js';
import { InputError } from './input-error.js';
import { readJsonlRows } from './jsonl-rows.js';
import { readXlsxRows, XlsxFormatError } from './xlsx-reader.js';
import { sha256File } from './sha256-file.js';

/** What a reader yields: the header once, then rows and dead letters in file order. */
export type SourceEvent =
  | { readonly kind: 'header'; readonly fields: Field[]; readonly headerRow: number }
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
}

function headerOrThrow(file: string, cells: readonly string[], line: number, opts: SourceReadOptions): HeaderMap | null {
  let map: HeaderMap | null;
  try {
    map = mapHeaders(cells, opts.source, opts.mapping);
  } catch (e) {
    if (e instanceof HeaderMappingError) throw new InputError(file, line, 'AMBIGUOUS_COLUMN', e.message);
    throw e;
  }
  if (!map) return null;
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
  try {
    if (format === 'jsonl') yield* batched(readJsonl(path, file, opts));
    else yield* readTable(format === 'csv' ? readCsvRowBatches(path) : batched(xlsxCells(path)), file, opts);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof XlsxFormatError) throw new InputError(file, null, 'READABLE', e.message);
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
}

async function* xlsxCells(path: string): AsyncGenerator<TableRow> {
  for await (const r of readXlsxRows(path)) yield { line: r.row, cells: r.values, raw: '' };
}

async function* readTable(batches: AsyncIterable<TableRow[]>, file: string, opts: SourceReadOptions): AsyncGenerator<SourceEvent[]> {
  let map: HeaderMap | null = null;
  let headerLine = 0;
  let width = 0;
  let seen = 0;
  for await (const rows of batches) {
    const out: SourceEvent[] = [];
    for (const r of rows) {
      if (map === null) {
        if (isBlank(r.cells)) continue;
        map = headerOrThrow(file, r.cells, r.line, opts);
        if (map === null) {
          if (++seen >= HEADER_SEARCH_ROWS) throw noHeader(file, opts, HEADER_SEARCH_ROWS);
          continue;
        }
        headerLine = r.line;
        width = r.cells.length;
        out.push({ kind: 'header', fields: map.fields, headerRow: headerLine });
        continue;
      }
      const row = r.line - headerLine;
      if (isBlank(r.cells)) continue;
      const raw = r.raw.length > RAW_LIMIT ? r.raw.slice(0, RAW_LIMIT) : r.raw;
      if (r.unterminated) {
        out.push({ kind: 'reject', row, reason: 'RAGGED_ROW', message: `${file} row ${row}: a quoted field is never closed; the rest of the file was read as one cell`, raw });
        continue;
      }
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
      if (hasReplacementChar(r.cells)) {
        out.push({ kind: 'reject', row, reason: 'UNDECODABLE_TEXT', message: `${file} row ${row}: bytes that are not UTF-8; re-save the file as UTF-8`, raw });
        continue;
      }
      out.push({ kind: 'row', row, values: project(r.cells, map.columns) });
    }
    if (out.length > 0) yield out;
  }
  if (map === null) throw noHeader(file, opts, seen);
}

function hasReplacementChar(cells: readonly string[]): boolean {
  for (const c of cells) if (c.includes('\ufffd')) return true;
  return false;
}

async function* readJsonl(path: string, file: string, opts: SourceReadOptions): AsyncGenerator<SourceEvent> {
  // JSON Lines has no header row: keys are the headers. Objects usually share one key set, so the
  // mapping is resolved once per distinct key set.
  const maps = new Map<string, { map: HeaderMap; keys: string[] }>();
  let fields: Field[] | null = null;
  const buffered: SourceEvent[] = [];
  for await (const l of readJsonlRows(path)) {
    if ('error' in l) {
      const messages = {
        INVALID_JSON: 'not valid JSON',
        NOT_AN_OBJECT: 'valid JSON but not an object',
        UNDECODABLE_TEXT: 'bytes that are not UTF-8; re-save the file as UTF-8',
      } as const;
      const ev: SourceEvent = { kind: 'reject', row: l.line, reason: l.error, message: `${file} line ${l.line}: ${messages[l.error]}`, raw: l.raw.slice(0, RAW_LIMIT) };
      if (fields === null) buffered.push(ev);
      else yield ev;
      continue;
    }
    const keys = Object.keys(l.object);
    const sig = keys.join('\u0000');
    let entry = maps.get(sig);
    if (!entry) {
      const map = headerOrThrow(file, keys, l.line, opts);
      if (map === null) throw new InputError(file, l.line, 'REQUIRED_COLUMN', `the object has no NIK key (accepted names: ${FIELD_ALIASES.nik.join(', ')}); rename the key or map it with --mapping`);
      entry = { map, keys };
      maps.set(sig, entry);
      if (fields === null) {
        fields = map.fields;
        yield { kind: 'header', fields, headerRow: 0 };
        yield* buffered;
        buffered.length = 0;
      }
    }
    // Project onto the first object's fields, so every row of the file has one layout.
    const values = new Array<string>((fields as Field[]).length);
    (fields as Field[]).forEach((f, i) => {
      const at = entry.map.fields.indexOf(f);
      values[i] = at < 0 ? '' : (l.object[entry.keys[entry.map.columns[at] as number] as string] ?? '');
    });
    yield { kind: 'row', row: l.line, values };
  }
  if (fields === null) {
    if (buffered.length === 0) throw new InputError(file, null, 'REQUIRED_COLUMN', 'the file has no JSON object with a NIK key');
    yield { kind: 'header', fields: ['nik'], headerRow: 0 };
    yield* buffered;
  }
}
