// Deterministic, streaming writer for a single-sheet .xlsx workbook.
//
// Why hand-written on yazl instead of a spreadsheet library: exceljs (and archiver under it)
// stamp the current time into every zip entry and into docProps/core.xml, so the same report
// written twice differs byte for byte; our outputs must be byte-identical for identical input.
// Here every entry carries a fixed mtime (DOS timestamp only, from the UTC fields of `mtime`, so
// the machine's time zone does not leak in), entries are written in a fixed order, there are no
// docProps, and deflate runs without flushes. Strings are written as inline strings, so a 16-digit
// NIK written as a string stays TEXT in Excel instead of turning into 9.10101E+15.
//
// Memory: rows are serialised as they are added and streamed into the zip entry; `addRow`
// waits while the zip/file side is behind, so memory stays bounded however many rows are written.

import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { EventEmitter } from 'node:events';
import { ZipFile } from 'yazl';

/**
 * A cell:
 * - string: written as an inline string (TEXT in Excel); '' and null leave the cell empty.
 * - { number }: a numeric cell whose `<v>` is exactly this text (e.g. '9101011203850001', '1.57101E+15').
 * - { dateSerial }: a numeric cell holding an Excel date serial (1 = 1900-01-01), shown as a date.
 */
export type XlsxCell = string | null | { number: string } | { dateSerial: number };

export interface XlsxWriterOptions {
  /** Name of the single worksheet (default 'Sheet1'); at most 31 characters, none of []:*?/\ */
  sheetName?: string;
  /** Timestamp stored on every zip entry (default 2000-01-01T00:00:00Z); its UTC fields are used. */
  mtime?: Date;
  /** Column widths in characters, index 0 = column A; non-positive/non-finite entries are skipped. */
  columnWidths?: number[];
  /** Bold first row, frozen in place while scrolling. */
  boldHeader?: boolean;
}

export interface XlsxWriter {
  /**
   * Appends the next sheet row (the first call is row 1). A row with no non-empty cell is not
   * written at all, so it reads back as a gap. Await each call: it waits for the output to drain.
   */
  addRow(cells: XlsxCell[]): Promise<void>;
  /** Ends the sheet and the zip file; resolves when the file is completely written and closed. */
  finish(): Promise<void>;
}

const MAX_ROWS = 1_048_576;
/** Excel refuses to open a workbook with a cell longer than this (UTF-16 code units). */
export const MAX_CELL_CHARS = 32_767;
export const TRUNCATED_MARK = '…[truncated]';
const MAX_COLUMNS = 16_384;
const FLUSH_AT = 64 * 1024;

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

// Style indexes in cellXfs (see STYLES).
const STYLE_BOLD = 1;
const STYLE_DATE = 2;
const STYLE_BOLD_DATE = 3;

const CONTENT_TYPES =
  XML_DECL +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '</Types>';

const ROOT_RELS =
  XML_DECL +
  `<Relationships xmlns="${NS_PKG_REL}">` +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '</Relationships>';

const WORKBOOK_RELS =
  XML_DECL +
  `<Relationships xmlns="${NS_PKG_REL}">` +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  '</Relationships>';

const FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>';
const STYLES =
  XML_DECL +
  `<styleSheet xmlns="${NS_MAIN}">` +
  `<fonts count="2"><font>${FONT}</font><font><b/>${FONT}</font></fonts>` +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' + // 0: default
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' + // 1: bold
  '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' + // 2: date
  '<xf numFmtId="14" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>' + // 3: bold date
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

function workbookXml(sheetName: string): string {
  return (
    XML_DECL +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets>` +
    '</workbook>'
  );
}

function sheetHeaderXml(options: XlsxWriterOptions): string {
  let xml = XML_DECL + `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`;
  xml += '<sheetViews><sheetView tabSelected="1" workbookViewId="0">';
  if (options.boldHeader) {
    xml += '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>';
    xml += '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>';
  }
  xml += '</sheetView></sheetViews>';
  xml += '<sheetFormatPr defaultRowHeight="15"/>';
  let cols = '';
  (options.columnWidths ?? []).forEach((width, i) => {
    if (!Number.isFinite(width) || width <= 0 || i >= MAX_COLUMNS) return;
    cols += `<col min="${i + 1}" max="${i + 1}" width="${Math.min(width, 255)}" customWidth="1"/>`;
  });
  if (cols !== '') xml += `<cols>${cols}</cols>`;
  xml += '<sheetData>';
  return xml;
}

const SHEET_FOOTER = '</sheetData></worksheet>';

// Characters not allowed in XML 1.0 (C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/FFFF).
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for element content or a double-quoted attribute, dropping characters illegal in XML. */
function escapeXml(text: string): string {
  return text
    .replace(ILLEGAL_XML, '')
    .replace(/[&<>"\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#13;'));
}

/**
 * A string cell's text within Excel's limit: a longer one is cut and ends with TRUNCATED_MARK, so
 * the workbook opens and the reader sees that text is missing (the CSV and Parquet keep it whole).
 * Never cuts a surrogate pair in half.
 */
export function fitCell(text: string): string {
  if (text.length <= MAX_CELL_CHARS) return text;
  let end = MAX_CELL_CHARS - TRUNCATED_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + TRUNCATED_MARK;
}

/** Text of a string cell: XML-escaped, and a literal `_xHHHH_` protected so Excel does not decode it. */
function cellText(text: string): string {
  const escaped = escapeXml(fitCell(text));
  return escaped.includes('_x') ? escaped.replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1') : escaped;
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const columnNames: string[] = [];
function columnName(index: number): string {
  let name = columnNames[index];
  if (name === undefined) {
    name = '';
    for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    columnNames[index] = name;
  }
  return name;
}

function validateSheetName(name: string): void {
  if (name.length < 1 || name.length > 31 || /[[\]:*?/\\]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
    throw new TypeError(`invalid worksheet name ${JSON.stringify(name)}: use 1–31 characters, none of []:*?/\\, not starting or ending with '`);
  }
}

/** yazl writes DOS timestamps from a Date's *local* fields; give it one whose local fields are mtime's UTC fields. */
function dosMtime(mtime: Date): Date {
  if (Number.isNaN(mtime.getTime())) throw new TypeError('invalid mtime');
  return new Date(
    mtime.getUTCFullYear(),
    mtime.getUTCMonth(),
    mtime.getUTCDate(),
    mtime.getUTCHours(),
    mtime.getUTCMinutes(),
    mtime.getUTCSeconds(),
  );
}

export function createXlsxWriter(path: string, options: XlsxWriterOptions = {}): XlsxWriter {
  const sheetName = options.sheetName ?? 'Sheet1';
  validateSheetName(sheetName);
  const entryOptions = {
    mtime: dosMtime(options.mtime ?? new Date(Date.UTC(2000, 0, 1))),
    // No "extended timestamp" extra field: it would carry the zone-dependent epoch time.
    forceDosTimestamp: true,
    compress: true,
  };

  let failure: Error | undefined;
  const failureListeners = new Set<(err: Error) => void>();
  const fail = (err: unknown): void => {
    if (failure) return;
    failure = err instanceof Error ? err : new Error(String(err));
    for (const listener of failureListeners) listener(failure);
    sheet.destroy();
    out.destroy();
  };

  const zip = new ZipFile();
  const out = createWriteStream(path);
  const sheet = new PassThrough();
  zip.on('error', fail);
  zip.outputStream.on('error', fail);
  out.on('error', fail);
  sheet.on('error', fail);
  zip.outputStream.pipe(out);

  zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml', entryOptions);
  zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels', entryOptions);
  zip.addBuffer(Buffer.from(workbookXml(sheetName)), 'xl/workbook.xml', entryOptions);
  zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels', entryOptions);
  zip.addBuffer(Buffer.from(STYLES), 'xl/styles.xml', entryOptions);
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml', entryOptions);

  /** Resolves on `event`, rejects if the writer fails first. */
  function waitFor(emitter: EventEmitter, event: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      const onEvent = (): void => {
        cleanup();
        resolve();
      };
      const onFailure = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const cleanup = (): void => {
        emitter.off(event, onEvent);
        failureListeners.delete(onFailure);
      };
      emitter.once(event, onEvent);
      failureListeners.add(onFailure);
    });
  }

  let pending = sheetHeaderXml(options);
  let rowNumber = 0;
  let finished = false;
  const boldHeader = options.boldHeader === true;

  async function flush(): Promise<void> {
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    if (!sheet.write(chunk)) await waitFor(sheet, 'drain');
  }

  async function addRow(cells: XlsxCell[]): Promise<void> {
    if (failure) throw failure;
    if (finished) throw new Error('addRow() after finish()');
    if (rowNumber >= MAX_ROWS) throw new RangeError(`an .xlsx sheet holds at most ${MAX_ROWS} rows`);
    if (cells.length > MAX_COLUMNS) throw new RangeError(`an .xlsx sheet holds at most ${MAX_COLUMNS} columns, got ${cells.length}`);
    rowNumber++;
    const bold = boldHeader && rowNumber === 1;
    let xml = '';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell === null || cell === undefined || cell === '') continue;
      const ref = columnName(i) + rowNumber;
      if (typeof cell === 'string') {
        xml += `<c r="${ref}"${bold ? ` s="${STYLE_BOLD}"` : ''} t="inlineStr"><is><t xml:space="preserve">${cellText(cell)}</t></is></c>`;
      } else if ('number' in cell) {
        if (!NUMBER_TEXT.test(cell.number)) throw new TypeError(`cell ${ref}: ${JSON.stringify(cell.number)} is not a number`);
        xml += `<c r="${ref}"${bold ? ` s="${STYLE_BOLD}"` : ''}><v>${cell.number}</v></c>`;
      } else {
        if (!Number.isFinite(cell.dateSerial)) throw new TypeError(`cell ${ref}: date serial ${cell.dateSerial} is not finite`);
        xml += `<c r="${ref}" s="${bold ? STYLE_BOLD_DATE : STYLE_DATE}"><v>${cell.dateSerial}</v></c>`;
      }
    }
    if (xml !== '') pending += `<row r="${rowNumber}">${xml}</row>`;
    if (pending.length >= FLUSH_AT) await flush();
  }

  async function finish(): Promise<void> {
    if (failure) throw failure;
    if (finished) throw new Error('finish() called twice');
    finished = true;
    pending += SHEET_FOOTER;
    await flush();
    const closed = waitFor(out, 'close');
    sheet.end();
    zip.end();
    await closed;
    if (failure) throw failure;
  }

  return { addRow, finish };
}
