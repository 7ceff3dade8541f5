/**
 * The canonical comparison form of a person's name (the "name key").
 *
 * Recipient lists and the DTKS registry write the same person as `MUHAMMAD YUSUF`, `M. YUSUF`,
 * `MUH YUSUF`, `H. MUHAMMAD YUSUF` or `Muhammad Yusuf, S.Pd`. `nameKey` removes what is not part
 * of the name (case, accents, punctuation, titles, academic degrees) and writes the common
 * abbreviations out, so that `namesMatch` only has to deal with spelling.
 *
 * Steps, in order:
 *  1. Upper case; accents folded (NFKD, combining marks removed; full-width letters become
 *     ASCII); invisible format characters (soft hyphen, zero-width space) removed.
 *  2. Everything after the first comma is degrees: `ERNAWATI, S.E., M.M.` → `ERNAWATI`.
 *  3. Split into tokens on anything that is not a letter, a digit or a dot. Apostrophes are
 *     deleted rather than split on: `MA'RUF` and `MARUF` are one name (the apostrophe writes an
 *     Arabic ʿayn that most clerks leave out), and splitting would change the word count.
 *  4. Trailing degrees are removed, repeatedly, on the tokens as written, dots included: a dotted
 *     degree (`S.PD`, `S.Pd.I`, `A.MD`, also split as `S. PD`) always, a bare one (`SE`, `MM`)
 *     only while another token remains. Only the end of the name is a degree position, so `SE`
 *     or `MM` inside a name stays, and `M.H.` at the start stays initials (Muhammad H.).
 *     See {@link DEGREES} and {@link BARE_DEGREES}.
 *  5. The remaining tokens are split at their dots, remembering which word carried a dot
 *     (`H.M.YUSUF` → `H`, `M.`, `YUSUF`); leading titles are removed, repeatedly
 *     (`PROF. DR. H. …`): see {@link LEADING_TITLES}.
 *  6. `BT`/`BT.` → `BINTI` and `B.` → `BIN`, only after the first word and only when a name word
 *     (two letters or more, titles skipped) follows: a bare `B` is more often an initial.
 *     `BIN`/`BINTI` and the father's name are kept; `namesMatch` decides what to do with them.
 *  7. At the start of the name, and at the start of the father's name after `BIN`/`BINTI`:
 *     `M`, `MUH`, `MOH`, `MHD`, `MUHD`, `MOHD`, `MOCH` → `MUHAMMAD`; `ST` → `SITI`. An abbreviation
 *     is expanded when it carries a dot or another word follows it (a lone `M` stays `M`).
 *     Leading titles are also removed after `BIN`/`BINTI` (`BINTI H. ABDULLAH`).
 *  8. Arabic transliterations of Muhammad (`MUHAMAD`, `MOHAMMAD`, `MOCHAMMAD`, …) become
 *     `MUHAMMAD` wherever they occur: one name, spelled by different clerks from different
 *     romanisation habits (Indonesian, Javanese "ch" for kh/h, English "-ed").
 *  9. Tokens are joined by a single space. Empty or titles-only input gives `''`.
 *
 * Pure and allocation-light: it runs on every name of every list (millions of rows). Scratch
 * arrays are reused between calls, and a name already in key form is returned as is.
 */

/**
 * Words removed from the start of a name (and of a father's name after BIN/BINTI), with or
 * without a trailing dot. Religious and pilgrimage titles (H/HJ = Haji/Hajjah, KH = Kiai Haji,
 * USTADZ), academic/professional prefixes (DR, DRS, DRA, DRG, IR, PROF), honorifics used in
 * recipient lists (NY = Nyonya, TN = Tuan, NN = Nona, BPK/BAPAK, IBU, SDR/SDRI = Saudara/i) and
 * ALM/ALMH (almarhum/ah, deceased), which clerks prefix to a dead person's name.
 */
export const LEADING_TITLES: ReadonlySet<string> = new Set([
  'H', 'HJ', 'HJH', 'HAJI', 'HAJJAH', 'HAJAH',
  'KH', 'USTADZ', 'USTAZ', 'USTADZAH', 'USTAZAH',
  'DR', 'DRS', 'DRA', 'DRG', 'IR', 'PROF',
  'NY', 'TN', 'NN', 'BPK', 'BAPAK', 'IBU', 'SDR', 'SDRI',
  'ALM', 'ALMH', 'ALMARHUM', 'ALMARHUMAH',
]);

/**
 * Indonesian academic degrees, as their letters without dots (`S.Pd.I` → `SPDI`). A token written
 * with an inner dot whose letters are in this list is a degree (`S.PD`, `A.MD`, `M.KES`); so is a
 * single letter with a dot followed by the rest (`S. PD`). Removed only at the end of the name.
 * S.* = Sarjana (bachelor), M.* = Magister, A.MD/A.MA/AMK = Ahli Madya (diploma).
 */
export const DEGREES: ReadonlySet<string> = new Set([
  'SPD', 'SPDI', 'SPDSD', 'SE', 'SH', 'SHI', 'SKOM', 'SSOS', 'SAG', 'SIP', 'SIKOM', 'ST', 'SKEP',
  'SKM', 'SSTP', 'SSI', 'SS', 'SP', 'SPSI', 'SFARM', 'SKED', 'SKG', 'SST', 'SSTR', 'STR', 'SPT',
  'SGZ', 'SHUT', 'STP', 'SKEB', 'SSY',
  'AMD', 'AMA', 'AMAPD', 'AMK', 'AMKEB', 'AMKEP', 'AMDKEB', 'AMDKEP', 'APT',
  'MM', 'MPD', 'MPDI', 'MSI', 'MKES', 'MH', 'MAG', 'MT', 'MKOM', 'MAP', 'MSC', 'MBA', 'MKEP', 'MKN',
]);

/**
 * Degrees also recognised without any dot, at the end of a name that keeps at least one other
 * word (`BUDI SANTOSO SE`). Only letter groups that are not plausible Indonesian name words:
 * `AMA`, `SS`, `SP` and the like are left out because without dots they are too short or too
 * name-like to remove safely.
 */
export const BARE_DEGREES: ReadonlySet<string> = new Set([
  'SPD', 'SPDI', 'SE', 'SH', 'SHI', 'SKOM', 'SSOS', 'SAG', 'SIP', 'SIKOM', 'ST', 'SKEP', 'SKM',
  'SSTP', 'SSI', 'SPSI', 'SFARM', 'SKED', 'SKG', 'SST', 'AMD', 'AMK', 'AMKEB', 'AMDKEB', 'AMDKEP',
  'MM', 'MPD', 'MPDI', 'MSI', 'MKES', 'MH', 'MKOM',
]);

/** Abbreviations of MUHAMMAD, expanded at the start of a name only (`ABDUL M. …` keeps `M`). */
export const MUHAMMAD_ABBREVIATIONS: ReadonlySet<string> = new Set([
  'M', 'MUH', 'MOH', 'MHD', 'MUHD', 'MOHD', 'MOCH',
]);

/** Spellings of MUHAMMAD canonicalised wherever they stand as a whole word. */
export const MUHAMMAD_SPELLINGS: ReadonlySet<string> = new Set([
  'MUHAMAD', 'MOHAMMAD', 'MOHAMAD', 'MOHAMMED', 'MOHAMED', 'MUHAMMED', 'MUHAMED',
  'MUHAMMAT', 'MUHAMAT', 'MOCHAMMAD', 'MOCHAMAD', 'MUCHAMMAD', 'MUCHAMAD',
]);

const MUHAMMAD = 'MUHAMMAD';
let SPELLING_MIN = Infinity;
let SPELLING_MAX = 0;
for (const s of MUHAMMAD_SPELLINGS) {
  SPELLING_MIN = Math.min(SPELLING_MIN, s.length);
  SPELLING_MAX = Math.max(SPELLING_MAX, s.length);
}

// Combining marks (left by NFKD) and format characters (soft hyphen, zero-width space/joiner).
const MARKS_AND_FORMAT = /[\p{M}\p{Cf}]/gu;
// Apostrophe-like characters, deleted inside words. Checked before replacing: most names have none.
const APOSTROPHES = /['`\u2018\u2019\u02bc\u02bb]/g;
const HAS_APOSTROPHE = /['`\u2018\u2019\u02bc\u02bb]/;
const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}]/u;
const DOTS = /\./g;

// Scratch arrays reused across calls (the core is synchronous, so no call can interleave).
// tokens: as written (letters, digits, dots). text: words without dots; dot: written with a
// dot after it (an abbreviation mark).
const tokens: string[] = [];
const text: string[] = [];
const dot: boolean[] = [];
let count = 0;

function push(t: string, withDot: boolean): void {
  text[count] = t;
  dot[count] = withDot;
  count++;
}

/** Adds one raw token to the word arrays, split at its dots (`H.M.YUSUF` → `H`, `M`, `YUSUF`). */
function addRaw(token: string): void {
  let start = 0;
  for (;;) {
    const d = token.indexOf('.', start);
    if (d < 0) {
      if (start < token.length) push(start === 0 ? token : token.slice(start), false);
      return;
    }
    if (d > start) push(token.slice(start, d), true);
    start = d + 1;
  }
}

function lettersOf(token: string): string {
  return token.indexOf('.') < 0 ? token : token.replace(DOTS, '');
}

/** A degree written with a dot between its letters: `S.PD`, `S.Pd.I.`, `A.MD`. */
function isDottedDegree(token: string): boolean {
  let first = 0;
  while (first < token.length && token.charCodeAt(first) === 46) first++;
  const inner = token.indexOf('.', first);
  if (inner < 0) return false;
  let last = token.length - 1;
  while (last > first && token.charCodeAt(last) === 46) last--;
  return inner < last && DEGREES.has(lettersOf(token));
}

/** A single letter followed by a dot (`S.` of `S. PD`). */
function isDottedInitial(token: string): boolean {
  return token.length === 2 && token.charCodeAt(1) === 46 && token.charCodeAt(0) !== 46;
}

function isTitle(i: number): boolean {
  return LEADING_TITLES.has(text[i] as string);
}

/**
 * Expands an abbreviation at index `i`, the start of a name (or of a father's name) whose words
 * end before `end`. Returns whether it did.
 */
function expandAt(i: number, end: number): boolean {
  const t = text[i] as string;
  if (!(dot[i] || i + 1 < end)) return false;
  if (MUHAMMAD_ABBREVIATIONS.has(t)) text[i] = MUHAMMAD;
  else if (t === 'ST') text[i] = 'SITI';
  else return false;
  return true;
}

/** Index of the first non-title word at or after `i` (before `end`), or `end`. */
function skipTitles(i: number, end: number): number {
  while (i < end && isTitle(i)) i++;
  return i;
}

/**
 * The canonical comparison form of a name: see the module comment for the rules. Returns `''`
 * for an empty name or one made only of titles and degrees.
 */
export function nameKey(raw: string): string {
  let s = raw.toUpperCase();
  let apostrophe = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) {
      s = s.normalize('NFKD').replace(MARKS_AND_FORMAT, '');
      apostrophe = HAS_APOSTROPHE.test(s);
      break;
    }
    if (c === 39 || c === 96) apostrophe = true;
  }
  if (apostrophe) s = s.replace(APOSTROPHES, '');
  const comma = s.indexOf(',');
  const end = comma < 0 ? s.length : comma;

  // Tokenise: runs of letters, digits and dots. `clean`: s is already words separated by single
  // spaces, without dots; if nothing else changes either, s itself is the key (the common case
  // for registry data, and no string is built).
  let clean = end === s.length;
  let rawCount = 0;
  let start = -1;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const word =
      (c >= 65 && c <= 90) ||
      (c >= 48 && c <= 57) ||
      c === 46 ||
      (c > 127 && NON_ASCII_WORD_CHAR.test(s[i] as string));
    if (word) {
      if (start < 0) start = i;
      if (c === 46) clean = false;
    } else {
      if (c !== 32 || start < 0) clean = false;
      if (start >= 0) {
        tokens[rawCount++] = s.slice(start, i);
        start = -1;
      }
    }
  }
  if (start >= 0) tokens[rawCount++] = start === 0 && end === s.length ? s : s.slice(start, end);
  else clean = false;

  // Trailing degrees, recognised on the tokens as written (with their dots).
  while (rawCount > 0) {
    const last = tokens[rawCount - 1] as string;
    if (isDottedDegree(last)) {
      rawCount--;
    } else if (rawCount >= 2 && BARE_DEGREES.has(lettersOf(last))) {
      rawCount--;
    } else if (
      rawCount >= 3 &&
      isDottedInitial(tokens[rawCount - 2] as string) &&
      DEGREES.has((tokens[rawCount - 2] as string).charAt(0) + lettersOf(last))
    ) {
      rawCount -= 2; // `S. PD`
    } else {
      break;
    }
    clean = false;
  }

  count = 0;
  for (let i = 0; i < rawCount; i++) addRaw(tokens[i] as string);
  if (count === 0) return '';

  // Leading titles.
  const head = skipTitles(0, count);
  const tail = count;
  if (tail === head) return '';
  if (head > 0) clean = false;

  // BIN / BINTI (father's name).
  let father = -1;
  for (let i = head + 1; i < tail; i++) {
    const t = text[i] as string;
    if (t === 'BIN' || t === 'BINTI') {
      father = i;
      break;
    }
    if (t === 'BT' || (t === 'B' && dot[i])) {
      const next = skipTitles(i + 1, tail);
      if (next < tail && (text[next] as string).length >= 2) {
        text[i] = t === 'BT' ? 'BINTI' : 'BIN';
        clean = false;
        father = i;
        break;
      }
    }
  }

  const nameEnd = father < 0 ? tail : father;
  if (expandAt(head, nameEnd)) clean = false;
  // Titles after BIN/BINTI are skipped: indexes skipFrom..skipTo-1.
  let skipFrom = tail;
  let skipTo = tail;
  if (father >= 0) {
    skipFrom = father + 1;
    skipTo = skipTitles(skipFrom, tail);
    if (skipTo > skipFrom) clean = false;
    if (skipTo < tail && expandAt(skipTo, tail)) clean = false;
  }
  for (let i = head; i < tail; i++) {
    // Every spelling starts with M and has a length in the set's range: most words skip the set
    // lookup (and the hashing of a fresh string).
    const t = text[i] as string;
    if (t.charCodeAt(0) === 77 && t.length >= SPELLING_MIN && t.length <= SPELLING_MAX && MUHAMMAD_SPELLINGS.has(t)) {
      text[i] = MUHAMMAD;
      clean = false;
    }
  }
  if (clean) return s;

  let out = '';
  for (let i = head; i < tail; i++) {
    if (i >= skipFrom && i < skipTo) continue;
    const t = text[i] as string;
    out = out.length === 0 ? t : out + ' ' + t;
  }
  return out;
}
