// Streaming reader for the first worksheet of an .xlsx workbook.
//
// Why hand-written on yauzl + saxes instead of a spreadsheet library: no maintained npm library
// streams XLSX while handing back the *raw text* of numeric cells. exceljs (and SheetJS) run
// numbers through parseFloat, which silently corrupts 16-digit NIKs above 2^53 (e.g. provinces
// 91–96: 9101011203850001 comes back as 9101011203850000). Here a numeric cell's value is the
// `<v>` text exactly as written in the XML, and deciding what it means is left to the caller.
//
// Memory: the shared-string table (xl/sharedStrings.xml) is held in memory up to a bound, then
// spilled to a temporary file (SharedStrings). Everything else streams: the sheet XML is
// inflated and parsed chunk by chunk, and the next chunk is only read once the consumer has
// taken the rows of the previous one. Every part is inflated under the limits of inflate-guard.ts
// (zip bombs), every row under the line-length limit, and row numbers must increase up to
// Excel's 1 048 576, so no workbook costs more than linear time or bounded memory.

import { open as openStat } from 'node:fs/promises';
import { posix } from 'node:path';
import { TextDecoder } from 'node:util';
import { tmpdir } from 'node:os';
import { SaxesParser } from 'saxes';
import { open as yauzlOpen } from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { guardedPartBytes } from './inflate-guard.js';
import { DEFAULT_READER_LIMITS } from './reader-limits.js';
import type { ReaderLimits } from './reader-limits.js';
import { SharedStrings } from './shared-strings.js';
import { XlsxFormatError } from './xlsx-format-error.js';
import { assertXmlBounds } from './xml-bounds.js';

export { XlsxFormatError };

export interface XlsxRow {
  /** 1-based sheet row number (the `r` attribute of `<row>`). */
  row: number;
  /** values[i] = raw text of column i (A = 0); '' for empty or missing cells. Trailing empty cells are omitted. */
  values: string[];
  /** The row's text passes the line-length limit: `values` is empty (a dead letter for the caller). */
  tooLong?: true;
}

export interface XlsxReadOptions {
  readonly limits?: ReaderLimits;
  /** Where the shared strings may spill (default: the OS temp dir); the file is removed when the read ends. */
  readonly tempDir?: string;
}

/** Excel's sheet limits (Excel specifications and limits): 1 048 576 rows, 16 384 columns (XFD). */
export const XLSX_MAX_ROWS = 1_048_576;
export const XLSX_MAX_COLUMNS = 16_384;

function formatError(file: string, reason: string, cause?: unknown): XlsxFormatError {
  return new XlsxFormatError(
    file,
    `${file} is not a readable .xlsx workbook (${reason}); re-save it from Excel as .xlsx, or export CSV`,
    cause === undefined ? undefined : { cause },
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Streams the rows of the first worksheet (in workbook order) of the .xlsx file at `path`.
 * Empty rows that exist in the XML are yielded with `values: []`; rows absent from the XML
 * (gaps) are not yielded, so `row` is always the true sheet row number.
 * Stopping early (`break` in a for-await loop) closes the file.
 */
export async function* readXlsxRows(path: string, opts: XlsxReadOptions = {}): AsyncGenerator<XlsxRow> {
  const limits = opts.limits ?? DEFAULT_READER_LIMITS;
  const zip = await openZip(path);
  const sharedStrings = new SharedStrings(limits.xlsxSharedStringsMemoryBytes, opts.tempDir ?? tmpdir());
  try {
    const entries = await listEntries(zip, path);
    const parts = new PartLookup(entries);

    // _rels/.rels → the workbook part (almost always xl/workbook.xml).
    let workbookPath = 'xl/workbook.xml';
    const rootRels = parts.get('_rels/.rels');
    if (rootRels) {
      const rels = await readRelationships(zip, rootRels, '', path, limits);
      for (const rel of rels.values()) {
        if (rel.type.endsWith('/officeDocument') && parts.get(rel.target)) {
          workbookPath = rel.target;
          break;
        }
      }
    }
    const workbookEntry = parts.get(workbookPath);
    if (!workbookEntry) throw formatError(path, `it has no workbook part ${workbookPath}`);
    const workbookDir = posix.dirname(workbookPath) === '.' ? '' : `${posix.dirname(workbookPath)}/`;

    const firstSheetRid = await readFirstSheetRid(zip, workbookEntry, path, limits);
    if (firstSheetRid === undefined) throw formatError(path, `${workbookPath} lists no worksheet`);

    const workbookRelsPath = `${workbookDir}_rels/${posix.basename(workbookPath)}.rels`;
    const workbookRelsEntry = parts.get(workbookRelsPath);
    if (!workbookRelsEntry) throw formatError(path, `it has no ${workbookRelsPath}`);
    const workbookRels = await readRelationships(zip, workbookRelsEntry, workbookDir, path, limits);

    const sheetRel = workbookRels.get(firstSheetRid);
    if (!sheetRel) throw formatError(path, `the first sheet (${firstSheetRid}) has no entry in ${workbookRelsPath}`);
    const sheetEntry = parts.get(sheetRel.target);
    if (!sheetEntry) throw formatError(path, `the first sheet's part ${sheetRel.target} is missing`);

    let sharedStringsEntry: Entry | undefined;
    for (const rel of workbookRels.values()) {
      if (rel.type.endsWith('/sharedStrings')) sharedStringsEntry = parts.get(rel.target);
    }
    sharedStringsEntry ??= parts.get(`${workbookDir}sharedStrings.xml`);
    if (sharedStringsEntry) await readSharedStrings(zip, sharedStringsEntry, path, limits, sharedStrings);

    yield* streamSheet(zip, sheetEntry, sharedStrings, path, limits);
  } finally {
    sharedStrings.close();
    if (zip.isOpen) zip.close();
  }
}

// ---------------------------------------------------------------------------------------------
// zip plumbing

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzlOpen(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => {
      if (!err) return resolve(zip);
      const code = (err as NodeJS.ErrnoException).code;
      // Problems with the file itself (missing, unreadable, a directory) are not format errors.
      if (typeof code === 'string') return reject(err);
      sniffNonZip(path).then(
        (reason) => reject(formatError(path, reason ?? `not a zip archive: ${err.message}`, err)),
        () => reject(formatError(path, `not a zip archive: ${err.message}`, err)),
      );
    });
  });
}

/** A more helpful reason for the common not-really-xlsx files, from the first bytes. */
async function sniffNonZip(path: string): Promise<string | undefined> {
  const handle = await openStat(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytesRead === 0) return 'the file is empty';
    if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
      return 'it is an OLE2 compound file: an old-style .xls workbook or a password-protected workbook';
    }
    const text = bytes.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
    if (text.startsWith('<')) return 'it is an HTML/XML file with an .xlsx name, not a zip archive';
    return undefined;
  } finally {
    await handle.close();
  }
}

function listEntries(zip: ZipFile, file: string): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (err: unknown) => reject(formatError(file, `corrupt zip directory: ${messageOf(err)}`, err)));
    zip.readEntry();
  });
}

/** Finds zip entries by OPC part name: exact, then percent-decoded, then case-insensitively. */
class PartLookup {
  private readonly lower = new Map<string, Entry>();
  constructor(private readonly entries: Map<string, Entry>) {
    for (const [name, entry] of entries) this.lower.set(name.toLowerCase(), entry);
  }
  get(name: string): Entry | undefined {
    const exact = this.entries.get(name);
    if (exact) return exact;
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // not percent-encoded
    }
    return this.entries.get(decoded) ?? this.lower.get(decoded.toLowerCase());
  }
}

/** Resolves a relationship target against the directory of the source part ('' or 'xl/'). */
function resolveTarget(baseDir: string, target: string): string {
  const joined = target.startsWith('/') ? target.slice(1) : posix.join(baseDir, target);
  return posix.normalize(joined).replace(/^(\.\.\/)+/, '').replace(/^\.\//, '');
}

/** Yields the decoded text of a zip entry chunk by chunk, inflated under the limits; stopping early destroys the stream. */
async function* entryText(zip: ZipFile, entry: Entry, file: string, limits: ReaderLimits): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  for await (const chunk of guardedPartBytes(zip, entry, file, limits)) {
    if (!decoder) {
      // Parts are UTF-8 in practice; UTF-16 is allowed by OPC and announced by a BOM.
      const encoding = chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8';
      decoder = new TextDecoder(encoding);
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder?.decode() ?? '';
  if (rest !== '') yield rest;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function newParser(entryName: string): SaxesParser {
  return new SaxesParser({ fileName: entryName });
}

/** Parses a whole (small) part with `parser`; `done()` returning true stops reading early. */
async function parsePart(zip: ZipFile, entry: Entry, file: string, limits: ReaderLimits, parser: SaxesParser, done: () => boolean = () => false): Promise<void> {
  for await (const text of entryText(zip, entry, file, limits)) {
    writeXml(parser, text, entry, file, limits);
    if (done()) return;
  }
  closeXml(parser, entry, file);
}

function writeXml(parser: SaxesParser, text: string, entry: Entry, file: string, limits: ReaderLimits): void {
  try {
    parser.write(text);
  } catch (err) {
    if (err instanceof XlsxFormatError) throw err;
    throw formatError(file, `malformed XML in ${entry.fileName}: ${messageOf(err)}`, err);
  }
  assertXmlBounds(parser, entry.fileName, file, limits);
}

function closeXml(parser: SaxesParser, entry: Entry, file: string): void {
  try {
    parser.close();
  } catch (err) {
    if (err instanceof XlsxFormatError) throw err;
    throw formatError(file, `malformed XML in ${entry.fileName}: ${messageOf(err)}`, err);
  }
}

// ---------------------------------------------------------------------------------------------
// workbook structure

interface Relationship {
  type: string;
  /** Zip entry name of the target part. */
  target: string;
}

async function readRelationships(zip: ZipFile, entry: Entry, baseDir: string, file: string, limits: ReaderLimits): Promise<Map<string, Relationship>> {
  const rels = new Map<string, Relationship>();
  const parser = newParser(entry.fileName);
  parser.on('opentag', (tag) => {
    if (localName(tag.name) !== 'Relationship') return;
    const attrs = tag.attributes as Record<string, string>;
    const id = attrs['Id'];
    const target = attrs['Target'];
    if (id === undefined || target === undefined || attrs['TargetMode'] === 'External') return;
    rels.set(id, { type: attrs['Type'] ?? '', target: resolveTarget(baseDir, target) });
  });
  await parsePart(zip, entry, file, limits, parser);
  return rels;
}

async function readFirstSheetRid(zip: ZipFile, entry: Entry, file: string, limits: ReaderLimits): Promise<string | undefined> {
  let rid: string | undefined;
  let found = false;
  const parser = newParser(entry.fileName);
  parser.on('opentag', (tag) => {
    if (found || localName(tag.name) !== 'sheet') return;
    found = true;
    for (const [name, value] of Object.entries(tag.attributes as Record<string, string>)) {
      // r:id, whatever the prefix bound to the relationships namespace is called.
      if (name.includes(':') && localName(name) === 'id') rid = value;
    }
  });
  await parsePart(zip, entry, file, limits, parser, () => found);
  return rid;
}

/** Decodes OOXML `_xHHHH_` escapes (e.g. `_x000D_` for CR; `_x005F_` escapes a literal underscore). */
function decodeOoxmlEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function readSharedStrings(zip: ZipFile, entry: Entry, file: string, limits: ReaderLimits, strings: SharedStrings): Promise<void> {
  const parser = newParser(entry.fileName);
  let inItem = false;
  let phoneticDepth = 0;
  let capturing = false;
  let current = '';
  parser.on('opentag', (tag) => {
    switch (localName(tag.name)) {
      case 'si':
        inItem = true;
        current = '';
        break;
      case 'rPh':
        phoneticDepth++;
        break;
      case 't':
        capturing = inItem && phoneticDepth === 0;
        break;
    }
  });
  parser.on('closetag', (tag) => {
    switch (localName(tag.name)) {
      case 'si':
        if (current.length > limits.maxLineBytes) strings.addOversized();
        else strings.add(decodeOoxmlEscapes(current));
        current = '';
        inItem = false;
        break;
      case 'rPh':
        phoneticDepth--;
        break;
      case 't':
        capturing = false;
        break;
    }
  });
  const onText = (text: string): void => {
    // Past the limit the text is not kept: one more character marks the string oversized.
    if (capturing && current.length <= limits.maxLineBytes) current += text.length > limits.maxLineBytes ? text.slice(0, limits.maxLineBytes + 1) : text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  await parsePart(zip, entry, file, limits, parser);
}

// ---------------------------------------------------------------------------------------------
// the worksheet

/** 'C12' → 2; undefined when the reference does not start with a valid column. */
function columnOfRef(ref: string): number | undefined {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  if (i === 0 || col > XLSX_MAX_COLUMNS) return undefined;
  return col - 1;
}

/** A sheet row breaking a rule of the reader: an input error naming the row and the rule. */
function rowError(file: string, row: number, rule: string, detail: string): XlsxFormatError {
  return new XlsxFormatError(file, detail, { rule, row });
}

async function* streamSheet(zip: ZipFile, entry: Entry, sharedStrings: SharedStrings, file: string, limits: ReaderLimits): AsyncGenerator<XlsxRow> {
  const parser = new SaxesParser({ fileName: entry.fileName });
  let pending: XlsxRow[] = [];

  let inSheetData = false;
  let rowNumber = 0; // of the current (or previous) row
  let values: string[] = [];
  let rowChars = 0; // text of the current row so far
  let tooLong = false;
  let col = -1; // of the current (or previous) cell in the row
  let cellRef = '';
  let cellType = 'n';
  let capture: 'v' | 't' | undefined;
  let vText = '';
  let isText = '';
  let hasInline = false;
  let inInline = false;
  let phoneticDepth = 0;

  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (!inSheetData) {
      if (name === 'sheetData') inSheetData = true;
      return;
    }
    const attrs = tag.attributes as Record<string, string>;
    switch (name) {
      case 'row': {
        // Row numbers are the lineage of every record: they must be real sheet rows, each once, in
        // order. Trusting them gave duplicated records, RangeErrors and a cost in the gap size.
        const r = attrs['r'];
        let n = rowNumber + 1;
        if (r !== undefined) {
          // The value is not echoed: it could be anything, a NIK included.
          if (!/^\d{1,7}$/.test(r) || Number(r) < 1 || Number(r) > XLSX_MAX_ROWS) {
            throw rowError(file, rowNumber + 1, 'XLSX_ROW_NUMBER', `the row after sheet row ${rowNumber} has a row number (r) that is not a whole number from 1 to ${XLSX_MAX_ROWS}, Excel's row limit; re-save the workbook from Excel`);
          }
          n = Number(r);
        }
        if (n > XLSX_MAX_ROWS) {
          throw rowError(file, n, 'XLSX_ROW_NUMBER', `the sheet has more than ${XLSX_MAX_ROWS} rows, Excel's limit; split the file or export CSV`);
        }
        if (n <= rowNumber) {
          throw rowError(file, n, 'XLSX_ROW_ORDER', `sheet row ${n} comes after sheet row ${rowNumber}; rows must be in increasing order, each once (a damaged or hand-edited workbook); re-save it from Excel`);
        }
        rowNumber = n;
        values = [];
        rowChars = 0;
        tooLong = false;
        col = -1;
        break;
      }
      case 'c': {
        const r = attrs['r'];
        const c = r !== undefined ? columnOfRef(r) : undefined;
        col = c ?? col + 1;
        if (col >= XLSX_MAX_COLUMNS) {
          throw rowError(file, rowNumber, 'XLSX_COLUMN_LIMIT', `a cell lies beyond column XFD (${XLSX_MAX_COLUMNS} columns, Excel's limit); re-save the workbook from Excel`);
        }
        cellRef = r ?? `#${col + 1}`;
        cellType = attrs['t'] ?? 'n';
        vText = '';
        isText = '';
        hasInline = false;
        capture = undefined;
        break;
      }
      case 'v':
        capture = 'v';
        break;
      case 'is':
        inInline = true;
        hasInline = true;
        break;
      case 'rPh':
        phoneticDepth++;
        break;
      case 't':
        if (inInline && phoneticDepth === 0) capture = 't';
        break;
    }
  });

  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (!inSheetData) return;
    switch (name) {
      case 'sheetData':
        inSheetData = false;
        break;
      case 'v':
      case 't':
        capture = undefined;
        break;
      case 'is':
        inInline = false;
        break;
      case 'rPh':
        phoneticDepth--;
        break;
      case 'c': {
        if (tooLong) break;
        const value = cellValue();
        rowChars += value.length;
        if (value === OVERSIZED || rowChars > limits.maxLineBytes) {
          tooLong = true;
          values = [];
        } else if (value !== '') values[col] = value;
        break;
      }
      case 'row': {
        if (tooLong) pending.push({ row: rowNumber, values: [], tooLong: true });
        else {
          for (let i = 0; i < values.length; i++) if (values[i] === undefined) values[i] = '';
          pending.push({ row: rowNumber, values });
        }
        values = [];
        break;
      }
    }
  });

  const onText = (text: string): void => {
    // A row already over the limit keeps no more text.
    if (tooLong) return;
    if (capture === 'v') vText += text;
    else if (capture === 't') isText += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  function cellValue(): string {
    switch (cellType) {
      case 's': {
        const raw = vText.trim();
        if (raw === '') return '';
        const index = /^\d{1,10}$/.test(raw) ? Number(raw) : -1;
        if (sharedStrings.isOversized(index)) return OVERSIZED;
        const value = sharedStrings.get(index);
        if (value === undefined) {
          throw rowError(file, rowNumber, 'READABLE', `${file} is not a readable .xlsx workbook (cell ${cellRef.slice(0, 12)} refers to a shared string the workbook does not have; it has ${sharedStrings.size}); re-save it from Excel as .xlsx, or export CSV`);
        }
        return value;
      }
      case 'inlineStr':
        return decodeOoxmlEscapes(hasInline ? isText : vText);
      case 'str':
        return decodeOoxmlEscapes(vText);
      case 'b': {
        const raw = vText.trim();
        return raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
      }
      default:
        // 'n' (or absent), 'e' (error text such as #N/A), 'd' (ISO 8601 date text): verbatim.
        return vText;
    }
  }

  for await (const text of entryText(zip, entry, file, limits)) {
    writeXml(parser, text, entry, file, limits);
    if (pending.length > 0) {
      const batch = pending;
      pending = [];
      for (const row of batch) yield row;
    }
  }
  closeXml(parser, entry, file);
  for (const row of pending) yield row;
}

/** Stands for a shared string over the line limit: its row becomes a dead letter. */
const OVERSIZED = '\u0000oversized';
