import { DEFAULT_READER_LIMITS } from './reader-limits.js';
import type { ReaderLimits } from './reader-limits.js';
import { readTextLines } from './text-lines.js';
import type { TextLine } from './text-lines.js';

/**
 * Streams CSV rows with the line number each row starts on.
 *
 * Why not csv-parse: lineage needs the exact line a row starts on, and csv-parse's `info.lines`
 * reports the line a record ends on and drifts by one after every quoted field holding CRLF
 * (checked with csv-parse 6.2). This reader is RFC 4180 plus what the field sends: `,` or `;`
 * (detected), UTF-8 with or without BOM, CRLF, LF or CR, quoted fields with `""` escapes and embedded
 * newlines; a quote inside an unquoted field is kept as text.
 */
export interface CsvRow {
  /** 1-based line number of the row's first line. */
  readonly line: number;
  readonly cells: string[];
  /** The row's text as read (for dead letters). */
  readonly raw: string;
  /** A quoted field opened on this line never closed within the limits; `cells` is empty. */
  readonly unterminated?: boolean;
  /** The line is longer than the line-length limit; `cells` is empty and `raw` its first bytes. */
  readonly tooLong?: boolean;
}

/** Picks `;` or `,` by counting both outside quotes in the first lines of the file. */
export function detectDelimiter(sample: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < sample.length && lines < 30; i++) {
    const c = sample.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (!quoted) {
      if (c === 44) commas++;
      else if (c === 59) semis++;
      else if (c === 10) lines++;
    }
  }
  return semis > commas ? ';' : ',';
}

export interface CsvReadOptions {
  readonly delimiter?: ',' | ';';
  readonly limits?: ReaderLimits;
}

type Row = CsvRow & { delimiter: ',' | ';' };

/** Rows one at a time; see readCsvRowBatches for the fast path. */
export async function* readCsvRows(path: string, opts: CsvReadOptions | ',' | ';' = {}): AsyncGenerator<Row> {
  for await (const batch of readCsvRowBatches(path, opts)) yield* batch;
}

const RESAVE = 're-save it as UTF-8 (CSV UTF-8 in Excel)';

/** A row still open at the end of a line: a quoted field spans line breaks. */
interface OpenRow {
  readonly line: number;
  readonly first: string;
  cells: string[];
  field: string;
  raw: string;
  /** The lines after the first, kept to be read again if the quote turns out never to close. */
  readonly rest: TextLine[];
}

/**
 * Rows in batches, one per chunk read from disk: an async generator costs a promise per item,
 * so yielding per row would spend more time in the microtask queue than in parsing.
 *
 * Every line costs linear time: lines come from readTextLines, which reports a line over
 * `maxLineBytes` at once (a `tooLong` row) without assembling it. A quoted field may span at most
 * `maxQuotedLines` lines and `maxLineBytes` characters; past that its quote is taken as broken:
 * the row's first line becomes an `unterminated` row and the following lines are read again as
 * rows of their own, so one stray quote costs one row, not the rest of the file. A line is read
 * again at most `maxQuotedLines` times, so this stays linear.
 */
export async function* readCsvRowBatches(path: string, opts: CsvReadOptions | ',' | ';' = {}): AsyncGenerator<Row[]> {
  const o: CsvReadOptions = typeof opts === 'string' ? { delimiter: opts } : opts;
  const limits = o.limits ?? DEFAULT_READER_LIMITS;
  let delim = o.delimiter;
  let open: OpenRow | null = null;

  function abandon(row: OpenRow, out: Row[], queue: TextLine[]): void {
    out.push({ line: row.line, cells: [], raw: row.first, delimiter: delim as ',' | ';', unterminated: true });
    // Read the lines after the broken quote again, before the ones still queued.
    for (let i = row.rest.length - 1; i >= 0; i--) queue.push(row.rest[i] as TextLine);
  }

  function consume(first: TextLine, out: Row[]): void {
    const d = delim as ',' | ';';
    // A stack (last pushed is next): at most maxQuotedLines lines wait here.
    const queue: TextLine[] = [first];
    for (let l = queue.pop(); l !== undefined; l = queue.pop()) {
      if (l.tooLong) {
        if (open) {
          const row = open;
          open = null;
          queue.push(l);
          abandon(row, out, queue);
          continue;
        }
        out.push({ line: l.no, cells: [], raw: l.head, delimiter: d, tooLong: true });
        continue;
      }
      const line = l.text;
      if (open) {
        const row: OpenRow = open;
        row.raw += `\n${line}`;
        row.rest.push(l);
        if (parseInto(row, line, d, true)) {
          out.push({ line: row.line, cells: row.cells, raw: row.raw, delimiter: d });
          open = null;
        } else if (row.rest.length + 1 >= limits.maxQuotedLines || row.raw.length > limits.maxLineBytes) {
          open = null;
          abandon(row, out, queue);
        }
        continue;
      }
      if (line.indexOf('"') < 0) {
        out.push({ line: l.no, cells: line.split(d), raw: line, delimiter: d });
        continue;
      }
      const state: OpenRow = { line: l.no, first: line, cells: [], field: '', raw: line, rest: [] };
      if (parseInto(state, line, d, false)) out.push({ line: l.no, cells: state.cells, raw: line, delimiter: d });
      else if (limits.maxQuotedLines <= 1) abandon(state, out, queue);
      else open = state;
    }
  }

  for await (const lines of readTextLines(path, limits, RESAVE)) {
    if (delim === undefined) {
      let sample = '';
      for (let i = 0; i < lines.length && i < 30; i++) {
        const l = lines[i] as TextLine;
        sample += `${l.tooLong ? l.head : l.text}\n`;
      }
      delim = detectDelimiter(sample);
    }
    const out: Row[] = [];
    for (const l of lines) consume(l, out);
    if (out.length > 0) yield out;
  }
  // A quote still open at the end of the file: its first line is set aside, the rest read again
  // (which may open another quote, set aside in turn).
  const out: Row[] = [];
  while (open !== null) {
    const row: OpenRow = open;
    open = null;
    const queue: TextLine[] = [];
    abandon(row, out, queue);
    for (let l = queue.pop(); l !== undefined; l = queue.pop()) consume(l, out);
  }
  if (out.length > 0) yield out;
}
/**
 * Parses one physical line into `state`. `resume` means the line continues a quoted field that
 * was open at the end of the previous line. Returns true when the row is complete.
 */
function parseInto(
  state: { cells: string[]; field: string },
  line: string,
  d: string,
  resume: boolean,
): boolean {
  let i = 0;
  let field = resume ? `${state.field}\n` : '';
  let quoted = resume;
  const n = line.length;
  for (;;) {
    if (quoted) {
      // inside quotes: read until a closing quote not followed by another quote
      const q = line.indexOf('"', i);
      if (q < 0) {
        state.field = field + line.slice(i);
        return false;
      }
      field += line.slice(i, q);
      if (line.charCodeAt(q + 1) === 34) {
        field += '"';
        i = q + 2;
        continue;
      }
      quoted = false;
      i = q + 1;
      // text after a closing quote up to the delimiter is kept (lenient, as spreadsheets do)
      const next = line.indexOf(d, i);
      const stop = next < 0 ? n : next;
      field += line.slice(i, stop);
      state.cells.push(field);
      field = '';
      if (next < 0) return true;
      i = next + 1;
      if (i === n) {
        state.cells.push('');
        return true;
      }
      continue;
    }
    if (line.charCodeAt(i) === 34) {
      quoted = true;
      i++;
      continue;
    }
    const next = line.indexOf(d, i);
    if (next < 0) {
      state.cells.push(line.slice(i));
      return true;
    }
    state.cells.push(line.slice(i, next));
    i = next + 1;
    if (i === n) {
      state.cells.push('');
      return true;
    }
  }
}
