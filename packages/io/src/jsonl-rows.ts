import { DEFAULT_READER_LIMITS } from './reader-limits.js';
import type { ReaderLimits } from './reader-limits.js';
import { readTextLines } from './text-lines.js';

export type JsonlError = 'INVALID_JSON' | 'NOT_AN_OBJECT' | 'UNDECODABLE_TEXT' | 'LINE_TOO_LONG' | 'NESTING_TOO_DEEP';

export type JsonlLine =
  | { readonly line: number; readonly object: Record<string, string>; readonly raw: string }
  | { readonly line: number; readonly error: JsonlError; readonly raw: string };

/**
 * Prepares a line for JSON.parse in one linear pass, or says why it must not be parsed:
 * - numbers are quoted, so that a NIK written as a JSON number keeps its exact digits
 *   (9101011203850001 exceeds 2^53 and JSON.parse would round it); digits inside strings are
 *   left alone;
 * - nesting deeper than `maxDepth` is refused before parsing: turning a deep value back into text
 *   (JSON.stringify) recurses, and 100 000 levels overflow the stack.
 * A hand-written scan, not a regular expression: a backtracking pattern over a string of a few
 * megabytes overflows the regular-expression stack.
 */
export function prepareJsonLine(line: string, maxDepth: number): string | 'NESTING_TOO_DEEP' | 'INVALID_JSON' {
  let out = '';
  let from = 0; // start of the text not yet copied to `out`
  let depth = 0;
  const n = line.length;
  for (let i = 0; i < n; ) {
    const c = line.charCodeAt(i);
    if (c === 34) {
      // a string: skip to its closing quote, honouring backslash escapes
      i++;
      while (i < n) {
        const s = line.charCodeAt(i);
        if (s === 92) i += 2;
        else if (s === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 123 || c === 91) {
      if (++depth > maxDepth) return 'NESTING_TOO_DEEP';
      i++;
      continue;
    }
    if (c === 125 || c === 93) {
      depth--;
      i++;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n) {
        const d = line.charCodeAt(j);
        // digits, '.', 'e', 'E', '+', '-': what a JSON number is made of; JSON.parse judges the rest
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      const token = line.slice(i, j);
      if (!NUMBER.test(token)) return 'INVALID_JSON';
      out += `${line.slice(from, i)}"${token}"`;
      from = j;
      i = j;
      continue;
    }
    i++;
  }
  return from === 0 ? line : out + line.slice(from);
}

// Leading zeros pass, as they always have here: the digits are kept as text either way.
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * Streams JSON Lines: one object per line, values as their source text; blank lines are skipped.
 * A line that cannot be a record (not JSON, not an object, not UTF-8, too long, too deep) is that
 * line's error, never the file's.
 */
export async function* readJsonlRows(path: string, limits: ReaderLimits = DEFAULT_READER_LIMITS): AsyncGenerator<JsonlLine> {
  for await (const lines of readTextLines(path, limits, 're-save it as UTF-8')) {
    for (const l of lines) {
      const line = l.no;
      if (l.tooLong) {
        yield { line, error: 'LINE_TOO_LONG', raw: l.head };
        continue;
      }
      const text = l.text;
      if (text.trim() === '') continue;
      if (text.includes('\ufffd')) {
        yield { line, error: 'UNDECODABLE_TEXT', raw: text };
        continue;
      }
      const prepared = prepareJsonLine(text, limits.maxJsonDepth);
      if (prepared === 'NESTING_TOO_DEEP' || prepared === 'INVALID_JSON') {
        yield { line, error: prepared, raw: text };
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(prepared);
      } catch {
        yield { line, error: 'INVALID_JSON', raw: text };
        continue;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        yield { line, error: 'NOT_AN_OBJECT', raw: text };
        continue;
      }
      // No prototype: a "__proto__" key is a key like any other, never the object's prototype.
      const object = Object.create(null) as Record<string, string>;
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) object[k] = asText(v);
      yield { line, object, raw: text };
    }
  }
}
