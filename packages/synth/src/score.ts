import { createReadStream } from 'node:fs';
import { basename } from 'node:path';

/**
 * Scores padan's findings.csv against the generator's truth.csv: per reason code, TP/FP/FN over
 * (program, source_file, source_row, reason); for suggestions, over (row, suggested_nik).
 */

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface Score {
  perReason: Record<string, Counts>;
  suggestion: Counts;
  rows: { truth: number; findings: number };
}

/**
 * Streams CSV records (RFC 4180: `"` quoting with `""` escapes, quoted newlines, CRLF or LF, a
 * leading BOM). Delimiter `,`.
 */
export async function* readCsv(path: string): AsyncGenerator<string[]> {
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let any = false;
  let first = true;
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let text = decoder.decode(chunk, { stream: true });
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const out: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else field += c;
        continue;
      }
      if (c === '"') {
        if (afterQuote) field += '"'; // "" inside a quoted field
        quoted = true;
        afterQuote = false;
        any = true;
        continue;
      }
      afterQuote = false;
      if (c === ',') {
        cells.push(field);
        field = '';
        any = true;
      } else if (c === '\n') {
        if (field.endsWith('\r')) field = field.slice(0, -1);
        cells.push(field);
        if (any || cells.length > 1 || (cells[0] ?? '') !== '') out.push(cells);
        cells = [];
        field = '';
        any = false;
      } else {
        field += c;
        any = true;
      }
    }
    for (const row of out) yield row;
  }
  if (any || field !== '' || cells.length > 0) {
    if (field.endsWith('\r')) field = field.slice(0, -1);
    cells.push(field);
    yield cells;
  }
}

interface Entry {
  reasons: Set<string>;
  suggested: string;
}

async function load(path: string, what: string): Promise<{ entries: Map<string, Entry>; rows: number }> {
  const entries = new Map<string, Entry>();
  let col: Record<string, number> | null = null;
  let rows = 0;
  for await (const cells of readCsv(path)) {
    if (col === null) {
      col = {};
      cells.forEach((h, i) => ((col as Record<string, number>)[h.trim().toLowerCase()] = i));
      for (const need of ['program', 'source_file', 'source_row', 'reasons']) {
        if (col[need] === undefined) throw new Error(`${what} ${path}: no "${need}" column in the header`);
      }
      continue;
    }
    const get = (name: string): string => {
      const i = (col as Record<string, number>)[name];
      return i === undefined ? '' : (cells[i] ?? '');
    };
    rows++;
    const key = `${get('program')}\u0000${basename(get('source_file'))}\u0000${Number(get('source_row'))}`;
    const reasons = get('reasons')
      .split(';')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const entry = entries.get(key) ?? { reasons: new Set<string>(), suggested: '' };
    for (const r of reasons) entry.reasons.add(r);
    const s = get('suggested_nik').trim();
    if (s !== '') entry.suggested = s;
    entries.set(key, entry);
  }
  return { entries, rows };
}

function finish(c: { tp: number; fp: number; fn: number }): Counts {
  return {
    ...c,
    precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
    recall: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn),
  };
}

/**
 * Per reason code: TP = (row, reason) in both files, FP = only in findings, FN = only in truth.
 * Suggestions: TP when padan's suggestion equals truth's non-empty one; a suggestion truth does not
 * have, or a different NIK, is an FP; a truth suggestion padan does not make (or makes differently)
 * is an FN — so a wrong NIK counts once as FP and once as FN. Precision/recall are 1 when their
 * denominator is 0.
 */
export async function scoreFindings(findingsCsvPath: string, truthPath: string): Promise<Score> {
  const found = await load(findingsCsvPath, 'findings');
  const truth = await load(truthPath, 'truth');
  const per = new Map<string, { tp: number; fp: number; fn: number }>();
  const bucket = (r: string): { tp: number; fp: number; fn: number } => {
    let b = per.get(r);
    if (!b) per.set(r, (b = { tp: 0, fp: 0, fn: 0 }));
    return b;
  };
  for (const r of ['INVALID_NIK', 'NOT_IN_DTKS', 'DECEASED', 'NAME_MISMATCH', 'BIRTHDATE_MISMATCH', 'REGION_MISMATCH', 'PROGRAM_CONFLICT', 'DUPLICATE_IN_PROGRAM', 'DUPLICATE_IN_DTKS']) bucket(r);
  const sug = { tp: 0, fp: 0, fn: 0 };
  for (const [key, t] of truth.entries) {
    const f = found.entries.get(key);
    for (const r of t.reasons) {
      if (f?.reasons.has(r)) bucket(r).tp++;
      else bucket(r).fn++;
    }
    const fs = f?.suggested ?? '';
    if (t.suggested !== '') {
      if (fs === t.suggested) sug.tp++;
      else {
        sug.fn++;
        if (fs !== '') sug.fp++;
      }
    } else if (fs !== '') sug.fp++;
  }
  for (const [key, f] of found.entries) {
    const t = truth.entries.get(key);
    for (const r of f.reasons) if (!t?.reasons.has(r)) bucket(r).fp++;
    if (!t && f.suggested !== '') sug.fp++;
  }
  const perReason: Record<string, Counts> = {};
  for (const r of [...per.keys()]) perReason[r] = finish(per.get(r) as { tp: number; fp: number; fn: number });
  return { perReason, suggestion: finish(sug), rows: { truth: truth.rows, findings: found.rows } };
}
