import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvRows } from '@padan/io';

/**
 * The personal data of a set of input files, and a scanner that finds any of it in a text: the
 * oracle of the privacy tests. Built from the files themselves (every cell), so it holds the
 * strangers and typos of program files too, not only the DTKS population.
 */
export interface PersonalData {
  /** NIKs and No. KKs (and their 15/17-digit damaged forms), digits only. */
  readonly numbers: ReadonlySet<string>;
  /** Names of two or more words, normalized by `nameTokens`, joined by one space. */
  readonly names: ReadonlySet<string>;
  /** Birth dates as YYYY-MM-DD. */
  readonly dates: ReadonlySet<string>;
  /** The longest name, in words: n-grams longer than this are never looked up. */
  readonly maxNameWords: number;
}

export interface Finding {
  readonly kind: 'number' | 'name' | 'date';
  /** Where: the file or source name given to `scanText`. */
  readonly where: string;
  /** The 1-based line of the text. */
  readonly line: number;
}

/** A name's comparable form, its uppercase words of letters: `H. Siti  Aminah,S.Pd` → H SITI AMINAH S PD. */
function nameTokens(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter(Boolean);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})/;
const DMY = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;

function isoDate(cell: string): string | undefined {
  const s = cell.trim();
  const iso = ISO.exec(s);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const dmy = DMY.exec(s);
  if (dmy) return `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  return undefined;
}

/** The separator of a CSV export: whichever of `;` and `,` its first lines hold more of. */
function delimiterOf(path: string): ',' | ';' {
  const head = readFileSync(path, 'utf8').slice(0, 4000);
  return (head.match(/;/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? ';' : ',';
}

function addCell(into: { numbers: Set<string>; names: Set<string>; dates: Set<string> }, header: string, cell: string): void {
  const digits = cell.replace(/^\s*=?"?'?(NIK:?)?/i, '').replace(/[\s.\-"]/g, '');
  if (/^\d{15,17}$/.test(digits)) into.numbers.add(digits);
  if (/NAMA/i.test(header)) {
    const words = nameTokens(cell);
    if (words.length >= 2) into.names.add(words.join(' '));
    // The name without titles and initials (H., S.PD, M.), as it could appear elsewhere.
    const long = words.filter((w) => w.length > 2);
    if (long.length >= 2) into.names.add(long.join(' '));
  }
  if (/TGL|TANGGAL|LAHIR/i.test(header)) {
    const d = isoDate(cell);
    if (d) into.dates.add(d);
  }
}

/**
 * Reads every cell of CSV and JSON Lines inputs. CSV: the header is the first row with a cell
 * naming a NIK column; JSON Lines: the keys are the headers.
 */
export async function collectPersonalData(paths: readonly string[]): Promise<PersonalData> {
  const into = { numbers: new Set<string>(), names: new Set<string>(), dates: new Set<string>() };
  for (const path of paths) {
    if (/\.(jsonl|ndjson)$/i.test(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        let o: unknown;
        try {
          o = JSON.parse(line);
        } catch {
          continue;
        }
        if (o === null || typeof o !== 'object') continue;
        for (const [k, v] of Object.entries(o as Record<string, unknown>)) if (v !== null && v !== undefined) addCell(into, k, String(v));
      }
      continue;
    }
    if (!/\.(csv|txt)$/i.test(path)) throw new Error(`collectPersonalData reads CSV and JSON Lines only, not ${path}: generate with formats 'csv'`);
    let header: string[] | null = null;
    for await (const r of readCsvRows(path, delimiterOf(path))) {
      if (!header) {
        if (r.cells.some((c) => /NIK/i.test(c))) header = r.cells;
        continue;
      }
      r.cells.forEach((c, i) => addCell(into, header![i] ?? '', c));
    }
  }
  let maxNameWords = 2;
  for (const n of into.names) maxNameWords = Math.max(maxNameWords, n.split(' ').length);
  return { ...into, maxNameWords };
}

const DIGIT_RUN = /\d(?:[ .\-]?\d){14,}/g;
const DATE_LIKE = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})/g;

/**
 * Every piece of `pd` in `text`, by line: digit runs (also broken by spaces, dots, dashes) that are
 * or contain an input NIK or No. KK; sequences of words that are an input name (case-insensitive,
 * punctuation ignored); dates in any of the input's forms that are an input birth date. Linear in
 * the text: each line is tokenized once and looked up in the sets.
 */
export function scanText(pd: PersonalData, where: string, text: string): Finding[] {
  const out: Finding[] = [];
  const lines = text.split('\n');
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    const at = { where, line: li + 1 };
    for (const m of line.matchAll(DIGIT_RUN)) {
      const d = m[0].replace(/\D/g, '');
      let hit = pd.numbers.has(d);
      for (let i = 0; !hit && i + 16 <= d.length; i++) hit = pd.numbers.has(d.slice(i, i + 16));
      if (hit) out.push({ kind: 'number', ...at });
    }
    for (const m of line.matchAll(DATE_LIKE)) {
      const iso = m[1] !== undefined ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : `${m[6]}-${m[5]!.padStart(2, '0')}-${m[4]!.padStart(2, '0')}`;
      if (pd.dates.has(iso)) out.push({ kind: 'date', ...at });
    }
    const words = nameTokens(line);
    for (let i = 0; i < words.length; i++) {
      let gram = words[i]!;
      for (let n = 2; n <= pd.maxNameWords && i + n <= words.length; n++) {
        gram += ` ${words[i + n - 1]}`;
        if (pd.names.has(gram)) out.push({ kind: 'name', ...at });
      }
    }
  }
  return out;
}

/** Every file under `dir`, recursively, scanned. */
export function scanDir(pd: PersonalData, dir: string): Finding[] {
  const out: Finding[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    for (const f of statSync(p).isDirectory() ? scanDir(pd, p) : scanText(pd, p, readFileSync(p, 'utf8'))) out.push(f);
  }
  return out;
}

/** A short description of findings for an assertion message: where and what kind, never the data itself. */
export function describeFindings(f: readonly Finding[]): string[] {
  return f.slice(0, 20).map((x) => `${x.kind} in ${x.where}:${x.line}`);
}
