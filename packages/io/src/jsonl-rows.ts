import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export type JsonlLine =
  | { readonly line: number; readonly object: Record<string, string>; readonly raw: string }
  | { readonly line: number; readonly error: 'INVALID_JSON' | 'NOT_AN_OBJECT' | 'UNDECODABLE_TEXT'; readonly raw: string };

// Numbers are quoted before JSON.parse so that a NIK written as a JSON number keeps its exact
// digits: 9101011203850001 exceeds 2^53 and JSON.parse would round it. Strings are matched first
// so digits inside them are left alone.
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function quoteNumbers(line: string): string {
  return line.replace(TOKEN, (t) => (t.charCodeAt(0) === 34 ? t : `"${t}"`));
}

function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Streams JSON Lines: one object per line, values as their source text; blank lines are skipped. */
export async function* readJsonlRows(path: string): AsyncGenerator<JsonlLine> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of rl) {
    line++;
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim() === '') continue;
    if (text.includes('\ufffd')) {
      yield { line, error: 'UNDECODABLE_TEXT', raw: text };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(quoteNumbers(text));
    } catch {
      yield { line, error: 'INVALID_JSON', raw: text };
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      yield { line, error: 'NOT_AN_OBJECT', raw: text };
      continue;
    }
    const object: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) object[k] = asText(v);
    yield { line, object, raw: text };
  }
}
