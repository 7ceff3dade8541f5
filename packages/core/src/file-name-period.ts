/**
 * The period written in a file's name, if it names one: `pkh_2021-07.csv`, `DTKS_JULI_2021.xlsx`,
 * `bst-202107.jsonl`, `sembako 07-2021.csv`, `PBI Sept 2021.xlsx`. Used to warn when a file is run
 * under another `--period` (a July DTKS against a September program list flags most recipients
 * NOT_IN_DTKS). A guess about a name must never cry wolf, so it answers only when the name is clear:
 * full dates (`2021-10-02`, `20211002`, `15 Juli 2021`) are export or upload dates, not periods, and
 * are ignored; a name holding two different periods is ambiguous and gets no answer.
 */
export interface FileNamePeriod {
  /** Null when the name gives a month without a year (`pkh_juli.csv`). */
  readonly year: number | null;
  /** 1 to 12. */
  readonly month: number;
  /** The part of the name the period was read from, for messages. */
  readonly text: string;
}

/** Month names in Indonesian (with the older spellings PEBRUARI, NOPEMBER) and English, and their abbreviations. */
const FULL_MONTHS: Readonly<Record<string, number>> = {
  januari: 1, january: 1,
  februari: 2, pebruari: 2, february: 2,
  maret: 3, march: 3,
  april: 4,
  mei: 5, may: 5,
  juni: 6, june: 6,
  juli: 7, july: 7,
  agustus: 8, august: 8,
  september: 9,
  oktober: 10, october: 10,
  november: 11, nopember: 11,
  desember: 12, december: 12,
};

/**
 * Abbreviations are common words or parts of names (`mar`, `des`, `jan`), so they count only beside
 * a year (`jul21`, `SEP-2021`), never alone.
 */
const SHORT_MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, peb: 2, mar: 3, apr: 4, jun: 6, jul: 7,
  agu: 8, agt: 8, ags: 8, agst: 8, aug: 8,
  sep: 9, sept: 9, okt: 10, oct: 10, nov: 11, nop: 11, des: 12, dec: 12,
};

/**
 * Words after which a small number counts something other than a month: `tahap_3_2021` is the third
 * disbursement stage, `v2`, `rev_1`, `tw_3` (a quarter).
 */
const COUNTING_WORDS = new Set([
  'tahap', 'ke', 'tw', 'triwulan', 'q', 'quarter', 'kuartal', 'semester', 'smt', 'sem', 'v', 'ver', 'versi', 'version',
  'rev', 'revisi', 'no', 'nomor', 'part', 'bagian', 'batch', 'gel', 'gelombang', 'fase', 'phase', 'termin', 'minggu', 'week', 'hal', 'page', 'sheet', 'kab', 'kec',
]);

/** Separators between the parts of one date or period: `2021-07`, `07_2021`, `2021.07`, `Juli 2021`. */
const PART_SEPARATORS = new Set(['-', '_', '.', '/', ' ']);
const TIGHT_SEPARATORS = new Set(['-', '.', '/']);

interface Token {
  readonly kind: 'digits' | 'letters';
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The characters between the previous token and this one ('' when they touch, as in `sept2021`). */
  readonly before: string;
}

function tokenize(name: string): Token[] {
  const tokens: Token[] = [];
  const re = /[0-9]+|[A-Za-z]+/g;
  let last = 0;
  for (let m = re.exec(name); m !== null; m = re.exec(name)) {
    // A camel-case name (`pkhJuli2021`) holds two words in one run of letters: split them.
    const parts = m[0].match(/[0-9]+|[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [m[0]];
    let at = m.index;
    for (const text of parts) {
      tokens.push({ kind: /[0-9]/.test(text[0] as string) ? 'digits' : 'letters', text, start: at, end: at + text.length, before: name.slice(last, at) });
      at += text.length;
      last = at;
    }
  }
  return tokens;
}

function isYear(s: string): boolean {
  if (s.length !== 4) return false;
  const y = Number(s);
  return y >= 2000 && y <= 2099;
}

function isMonth(s: string): boolean {
  if (s.length < 1 || s.length > 2) return false;
  const m = Number(s);
  return m >= 1 && m <= 12;
}

function joins(t: Token): boolean {
  return t.before.length === 1 && PART_SEPARATORS.has(t.before);
}

/** The name without its extension(s) (`.csv`, `.xlsx`, `.jsonl`, `.csv.gz`) and folders. */
function stem(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  return base.replace(/(\.[A-Za-z][A-Za-z0-9]{0,4})+$/, '');
}

/**
 * Finds the period in a file name, or null when it names none, only a full date, or more than one
 * period. A month without a year is returned with `year: null`.
 */
export function periodInFileName(fileName: string): FileNamePeriod | null {
  const name = stem(fileName);
  const tokens = tokenize(name);
  const consumed = new Set<number>();
  const periods: FileNamePeriod[] = [];
  const monthsOnly: FileNamePeriod[] = [];
  const text = (from: number, to: number) => name.slice((tokens[from] as Token).start, (tokens[to] as Token).end);

  // Month names first: they decide which neighbouring numbers are their year or day.
  tokens.forEach((t, i) => {
    if (t.kind !== 'letters') return;
    const word = t.text.toLowerCase();
    const month = FULL_MONTHS[word] ?? SHORT_MONTHS[word];
    if (month === undefined) return;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    const nextNear = next !== undefined && next.kind === 'digits' && (next.before === '' || joins(next));
    const prevNear = prev !== undefined && prev.kind === 'digits' && (t.before === '' || joins(t));
    const nextYear = nextNear && isYear(next.text);
    // `jul21`, `SEP-21`: a two-digit year only right after the month, and only when nothing else follows it in the same date.
    const nextShortYear = nextNear && next.text.length === 2 && !(tokens[i + 2]?.kind === 'digits' && joins(tokens[i + 2] as Token));
    const prevYear = prevNear && isYear(prev.text);
    const prevDay = prevNear && prev.text.length <= 2 && Number(prev.text) >= 1 && Number(prev.text) <= 31;
    if (prevDay && (nextYear || nextShortYear)) {
      // `15 Juli 2021`: a date, not a period.
      for (const k of [i - 1, i, i + 1]) consumed.add(k);
      return;
    }
    if (nextYear || nextShortYear) {
      consumed.add(i).add(i + 1);
      periods.push({ year: nextYear ? Number(next.text) : 2000 + Number(next.text), month, text: text(i, i + 1) });
    } else if (prevYear) {
      consumed.add(i - 1).add(i);
      periods.push({ year: Number(prev.text), month, text: text(i - 1, i) });
    } else if (FULL_MONTHS[word] !== undefined) {
      consumed.add(i);
      monthsOnly.push({ year: null, month, text: t.text });
    }
  });

  // Runs of numbers joined by single separators read as one group: `2021-07`, `07_2021`, `15.71.01.1001`.
  // `-`, `.` and `/` bind tighter than `_` and spaces, so in `pkh_1501_2021-09` the regency code
  // and the period are read apart; numbers joined only by `_` or spaces (`07_2021`, `15_07_2021`) read as one.
  const yearsOnly: number[] = [];
  const read = (from: number, to: number) => {
    const found = readNumericGroup(tokens.slice(from, to + 1).map((g) => g.text));
    if (found === 'year') yearsOnly.push(Number((tokens[from] as Token).text));
    else if (found) periods.push({ ...found, text: text(from, to) });
  };
  for (let i = 0; i < tokens.length; ) {
    if ((tokens[i] as Token).kind !== 'digits') {
      i++;
      continue;
    }
    let j = i;
    while (tokens[j + 1]?.kind === 'digits' && joins(tokens[j + 1] as Token)) j++;
    const touchesMonthName = tokens.slice(i, j + 1).some((_, k) => consumed.has(i + k));
    const word = tokens[i - 1];
    const counted = word !== undefined && word.kind === 'letters' && COUNTING_WORDS.has(word.text.toLowerCase());
    if (!touchesMonthName && !counted) {
      // The tight parts of the group: runs joined by `-`, `.` or `/`.
      const parts: [number, number][] = [];
      for (let k = i; k <= j; k++) {
        const last = parts[parts.length - 1];
        if (last && k > i && TIGHT_SEPARATORS.has((tokens[k] as Token).before)) last[1] = k;
        else parts.push([k, k]);
      }
      if (parts.every(([a, b]) => a === b)) read(i, j);
      else for (const [a, b] of parts) read(a, b);
    }
    i = j + 1;
  }

  const distinct = new Map(periods.map((p) => [`${p.year}-${p.month}`, p]));
  const monthSet = new Set(monthsOnly.map((p) => p.month));
  if (distinct.size > 1) return null;
  const [only] = distinct.values();
  if (only) return [...monthSet].every((m) => m === only.month) ? only : null;
  if (monthSet.size !== 1) return null;
  const month = monthsOnly[0] as FileNamePeriod;
  // `DTKS_JULI_JAMBI_2021`: a month name and, elsewhere, one year.
  const years = new Set(yearsOnly);
  return years.size === 1 ? { ...month, year: [...years][0] as number } : month;
}

/** A period, 'year' for a lone year, or null for anything else (dates, codes, counts). */
function readNumericGroup(parts: readonly string[]): { year: number; month: number } | 'year' | null {
  if (parts.length === 1) {
    const s = parts[0] as string;
    if (isYear(s)) return 'year';
    if (s.length !== 6) return null;
    // 202107 or 072021; a year of 20xx never starts with a valid month, so at most one reading fits.
    if (isYear(s.slice(0, 4)) && isMonth(s.slice(4))) return { year: Number(s.slice(0, 4)), month: Number(s.slice(4)) };
    if (isMonth(s.slice(0, 2)) && isYear(s.slice(2))) return { year: Number(s.slice(2)), month: Number(s.slice(0, 2)) };
    return null;
  }
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    if (isYear(a) && isMonth(b)) return { year: Number(a), month: Number(b) };
    if (isMonth(a) && isYear(b)) return { year: Number(b), month: Number(a) };
  }
  // Three parts are a date (2021-07-15, 15-07-2021), longer groups are codes: not a period.
  return null;
}

/** `2021-07`, or `07` when the name gave no year. */
export function fileNamePeriodLabel(p: FileNamePeriod): string {
  const mm = String(p.month).padStart(2, '0');
  return p.year === null ? `month ${mm}` : `${p.year}-${mm}`;
}
