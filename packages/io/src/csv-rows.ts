import { createReadStream } from 'node:fs';

/**
 * Streams CSV rows with the line number each row starts on.
 *
 * Why not csv-parse: lineage needs the exact line a row starts on, and csv-parse's `info.lines`
 * reports the line a record ends on and drifts by one after every quoted field holding CRLF
 * (checked with csv-parse 6.2). This reader is RFC 4180 plus what the field sends: `,` or `;`
 * (detected), UTF-8 with or without BOM, CRLF or LF, quoted fields with `""` escapes and embedded
 * newlines; a quote inside an unquoted field is kept as text.
 */
export interface CsvRow {
  /** 1-based line number of the row's first line. */
  readonly line: number;
  readonly cells: string[];
  /** The row's text as read (for dead letters). */
  readonly raw: string;
  /** A quoted field was still open at the end of the file. */
  readonly unterminated?: boolean;
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

const SAMPLE_BYTES = 64 * 1024;

/** Rows one at a time; see readCsvRowBatches for the fast path. */
export async function* readCsvRows(path: string, delimiter?: ',' | ';'): AsyncGenerator<CsvRow & { delimiter: ',' | ';' }> {
  for await (const batch of readCsvRowBatches(path, delimiter)) yield* batch;
}

/**
 * Rows in batches, one per chunk read from disk: an async generator costs a promise per item,
 * so yielding per row would spend more time in the microtask queue than in parsing.
 */
export async function* readCsvRowBatches(path: string, delimiter?: ',' | ';'): AsyncGenerator<(CsvRow & { delimiter: ',' | ';' })[]> {
  const stream = createReadStream(path, { highWaterMark: SAMPLE_BYTES });
  let delim = delimiter;
  let pending: Buffer = Buffer.alloc(0); // bytes after the last complete line
  let lineNo = 0; // lines consumed so far
  let first = true;
  // State of a row spanning several lines (an open quoted field).
  let open: { line: number; cells: string[]; field: string; raw: string } | null = null;

  // Lines are decoded one by one from the bytes, never sliced out of a decoded chunk: a slice of a
  // 64 KB chunk keeps the whole chunk alive, and the match index keeps NIKs for the whole run.
  // Splitting bytes at 0x0A is safe in UTF-8 (no multi-byte sequence contains it); invalid bytes
  // decode to U+FFFD, which the reader turns into an UNDECODABLE_TEXT dead letter.
  function consume(buf: Buffer, from: number, to: number, out: (CsvRow & { delimiter: ',' | ';' })[]): void {
    const d = delim as ',' | ';';
    let end = to;
    if (end > from && buf[end - 1] === 13) end--;
    const line = buf.toString('utf8', from, end);
    lineNo++;
    if (open) {
      open.raw += `\n${line}`;
      if (parseInto(open, line, d, true)) {
        out.push({ line: open.line, cells: open.cells, raw: open.raw, delimiter: d });
        open = null;
      }
      return;
    }
    if (line.indexOf('"') < 0) {
      out.push({ line: lineNo, cells: line.split(d), raw: line, delimiter: d });
      return;
    }
    const state = { line: lineNo, cells: [] as string[], field: '', raw: line };
    if (parseInto(state, line, d, false)) out.push({ line: lineNo, cells: state.cells, raw: line, delimiter: d });
    else open = state;
  }

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    if (first) {
      if (buf.length < 3) {
        pending = buf;
        continue;
      }
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      first = false;
    }
    if (delim === undefined) {
      if (buf.length < SAMPLE_BYTES / 2) {
        pending = buf;
        continue;
      }
      delim = detectDelimiter(buf.toString('utf8', 0, Math.min(buf.length, SAMPLE_BYTES)));
    }
    const out: (CsvRow & { delimiter: ',' | ';' })[] = [];
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      consume(buf, start, nl, out);
      start = nl + 1;
    }
    // Copy the tail: a subarray would pin the whole chunk until the next one arrives.
    pending = Buffer.from(buf.subarray(start));
    if (out.length > 0) yield out;
  }
  if (first && pending.length >= 3 && pending[0] === 0xef && pending[1] === 0xbb && pending[2] === 0xbf) pending = pending.subarray(3);
  delim ??= detectDelimiter(pending.toString('utf8'));
  const out: (CsvRow & { delimiter: ',' | ';' })[] = [];
  let start = 0;
  for (let nl = pending.indexOf(10, start); nl >= 0; nl = pending.indexOf(10, start)) {
    consume(pending, start, nl, out);
    start = nl + 1;
  }
  if (start < pending.length) consume(pending, start, pending.length, out);
  if (open !== null) {
    const o = open as { line: number; cells: string[]; field: string; raw: string };
    o.cells.push(o.field);
    out.push({ line: o.line, cells: o.cells, raw: o.raw, delimiter: delim, unterminated: true });
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
