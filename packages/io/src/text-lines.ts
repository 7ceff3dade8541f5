import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from './input-error.js';
import type { ReaderLimits } from './reader-limits.js';

/** One physical line of a text file, or the marker of a line over the length limit. */
export type TextLine =
  | { readonly no: number; readonly text: string; readonly tooLong?: undefined }
  /** `head`: the line's first bytes, for the dead letter; the rest was skipped unread. */
  | { readonly no: number; readonly tooLong: true; readonly head: string };

const CHUNK = 64 * 1024;
const HEAD_BYTES = 2000;
const LF = 10;
const CR = 13;

/** The encodings that give themselves away in the first bytes and that padan cannot read. */
export function foreignEncoding(head: Buffer): string | undefined {
  const [a, b, c, d] = [head[0], head[1], head[2], head[3]];
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'UTF-32 (little-endian)';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32 (big-endian)';
  if (a === 0xff && b === 0xfe) return 'UTF-16 (little-endian)';
  if (a === 0xfe && b === 0xff) return 'UTF-16 (big-endian)';
  // Without a BOM, ASCII text in UTF-16 alternates with NUL bytes ("N\0I\0K\0"); UTF-8 text never
  // starts that way.
  if (head.length >= 4 && a !== 0 && b === 0 && c !== 0 && d === 0) return 'UTF-16 (little-endian)';
  if (head.length >= 4 && a === 0 && b !== 0 && c === 0 && d !== 0) return 'UTF-16 (big-endian)';
  return undefined;
}

/**
 * Streams the lines of a UTF-8 text file in batches (one per chunk read), in linear time and
 * memory bounded by `maxLineBytes`, whatever the file holds:
 * - line breaks are LF, CRLF, or CR alone (old Mac exports) when the file's first break is a lone CR;
 * - a line longer than the limit is not assembled: its first bytes are kept, the rest skipped up to
 *   the next break, and the line comes back as `tooLong` at once;
 * - a UTF-8 BOM is dropped; a UTF-16 or UTF-32 file is an InputError saying how to re-save it.
 * Lines are decoded one by one from the bytes, never sliced out of a decoded chunk: a slice of a
 * 64 KB chunk keeps the whole chunk alive. Splitting bytes at CR or LF is safe in UTF-8 (no
 * multi-byte sequence contains them); invalid bytes decode to U+FFFD for the caller to reject.
 */
export async function* readTextLines(path: string, limits: ReaderLimits, resave: string): AsyncGenerator<TextLine[]> {
  const max = limits.maxLineBytes;
  const stream = createReadStream(path, { highWaterMark: CHUNK });
  let started = false;
  let breakByte: number | undefined; // LF or CR, decided at the first break
  let skipLeadingLf = false; // CR mode: an LF right after a CR (a CRLF split across chunks)
  let crAtEnd = false; // the first break is a CR ending a chunk: CR alone or CRLF is for the next chunk to say
  let carry: Buffer[] = []; // bytes of the current line seen in earlier chunks
  let carryBytes = 0;
  let skipping = false; // the current line is over the limit and already reported
  let lineNo = 0;

  function lineOf(buf: Buffer, from: number, to: number): TextLine {
    lineNo++;
    let bytes = buf;
    let start = from;
    let end = to;
    if (carry.length !== 0) {
      carry.push(buf.subarray(from, to));
      bytes = Buffer.concat(carry, carryBytes + to - from);
      carry = [];
      carryBytes = 0;
      start = 0;
      end = bytes.length;
    }
    if (breakByte === LF && end > start && bytes[end - 1] === CR) end--;
    // Decoded straight from the chunk's range: no Buffer view is made per line.
    return { no: lineNo, text: bytes.toString('utf8', start, end) };
  }

  function tooLong(buf: Buffer, from: number, to: number): TextLine {
    lineNo++;
    const head = carry.length === 0 ? buf.subarray(from, Math.min(to, from + HEAD_BYTES)) : Buffer.concat(carry).subarray(0, HEAD_BYTES);
    carry = [];
    carryBytes = 0;
    // A cut multi-byte sequence at the end decodes to U+FFFD; the head is only shown, never parsed.
    return { no: lineNo, tooLong: true, head: head.toString('utf8') };
  }

  function decideBreak(buf: Buffer, from: number): void {
    const lf = buf.indexOf(LF, from);
    const cr = buf.indexOf(CR, from);
    if (cr >= 0 && (lf < 0 || cr < lf) && cr + 1 === buf.length) crAtEnd = true;
    else if (cr >= 0 && (lf < 0 || cr < lf) && buf[cr + 1] !== LF) breakByte = CR;
    else if (lf >= 0 || cr >= 0) breakByte = LF;
  }

  function split(buf: Buffer, out: TextLine[]): void {
    let start = 0;
    if (skipLeadingLf && buf.length > 0) {
      if (buf[0] === LF) start = 1;
      skipLeadingLf = false;
    }
    if (breakByte === undefined && crAtEnd && buf.length > 0) {
      crAtEnd = false;
      if (buf[0] === LF) breakByte = LF;
      else {
        // The carried line ended at that CR: drop it and emit the line.
        breakByte = CR;
        const last = carry.length - 1;
        if (last >= 0 && !skipping) {
          carry[last] = (carry[last] as Buffer).subarray(0, (carry[last] as Buffer).length - 1);
          carryBytes--;
          out.push(lineOf(buf, 0, 0));
        } else skipping = false;
      }
    }
    if (breakByte === undefined) decideBreak(buf, start);
    const brk = breakByte ?? LF;
    for (let at = buf.indexOf(brk, start); at >= 0; at = buf.indexOf(brk, start)) {
      if (skipping) skipping = false;
      else if (carryBytes + at - start > max) out.push(tooLong(buf, start, at));
      else out.push(lineOf(buf, start, at));
      start = at + 1;
      if (brk === CR) {
        if (start < buf.length && buf[start] === LF) start++;
        else if (start === buf.length) skipLeadingLf = true;
      }
    }
    if (start >= buf.length || skipping) return;
    if (carryBytes + buf.length - start > max) {
      out.push(tooLong(buf, start, buf.length));
      skipping = true;
      return;
    }
    // Copy the tail: a subarray would pin the whole chunk until the line ends.
    carry.push(Buffer.from(buf.subarray(start)));
    carryBytes += buf.length - start;
  }

  let head: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf: Buffer = chunk;
    if (!started) {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.length < 4) continue;
      buf = start(head);
      started = true;
    }
    const out: TextLine[] = [];
    split(buf, out);
    if (out.length > 0) yield out;
  }
  const out: TextLine[] = [];
  if (!started && head.length > 0) split(start(head), out);
  if (!skipping && carryBytes > 0) {
    const rest = Buffer.concat(carry, carryBytes);
    carry = [];
    carryBytes = 0;
    out.push(lineOf(rest, 0, rest.length));
  }
  if (out.length > 0) yield out;

  function start(bytes: Buffer): Buffer {
    const foreign = foreignEncoding(bytes);
    if (foreign) throw new InputError(basename(path), null, 'ENCODING', `the file is ${foreign}; ${resave}`);
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  }
}
