/**
 * Whether two name keys (see `nameKey`) name the same person, allowing for the spelling noise of
 * hand-typed lists but not for a different name.
 *
 * The measure, and why each part is there:
 *  - Father's name. `X BIN Y` / `X BINTI Y` adds the father's name; lists disagree on whether to
 *    write it. When only one side has it, it is dropped from that side; when both have it, it is
 *    compared like the rest (two different fathers are two different people).
 *  - Doubled letters are collapsed in every word (`BAHARUDDIN` = `BAHARUDIN`, `HASSAN` = `HASAN`):
 *    Arabic shadda is written or not at the clerk's choice, and it never tells two names apart.
 *  - Words correspond one to one, in order; a missing, extra or reordered word is a mismatch.
 *    The one exception: names equal once spaces are removed (`NUR HAYATI` = `NURHAYATI`), because
 *    compound names are written joined or split freely. No letter edit is allowed on that path.
 *  - At most one letter edit in the whole name (Damerau / optimal-string-alignment distance ≤ 1:
 *    one substitution, insertion, deletion or swap of adjacent letters), only inside a word of at
 *    least 5 letters (after collapsing) on both sides: short names differ by one letter too often
 *    (`ANI`/`ANA`, `YANI`/`YANTI`).
 *  - The edit may not touch the first letter of a word: clerks rarely get it wrong, and different
 *    names often differ just there.
 *  - A typo that lands beside the same letter is still one edit, though the collapse makes it look
 *    like two: HIDAYAT typed HIDAAAT (or HIDAAT) collapses to HIDAT, and KARTINI typed KARTIII
 *    to KARTI, two letters short. Two collapsed words two letters apart are one edit apart when the
 *    longer has `c X c` where the shorter has one run of `c`, and that run is written at least twice
 *    (the trace of the merge). Without the doubled letter the two letters are simply missing:
 *    YULIANA / YULIA and KARTINI / KARTI are different names. The longer word needs 5 letters
 *    after collapsing, the shorter 5 as written (RAHAYU / RAAAYU, collapsed RAYU, matches).
 *  - The edit may touch the last letter only for a spelling variant: final `I`/`Y` (old spelling,
 *    `NURHAYATY`), `D`/`T` (final devoicing, `AHMAD`/`AHMAT`), `F`/`P` (Sundanese, `YUSUF`/`YUSUP`),
 *    `K`/`Q` (`TAUFIK`/`TAUFIQ`), `S`/`Z` (`FAIRUS`/`FAIRUZ`), or a final `H` added or dropped after
 *    a vowel (`FATIMA`/`FATIMAH`, ta marbuta). This is the male/female guard: Indonesian names mark
 *    sex in the final letter (`JUNAIDI`/`JUNAIDA`, `PUTRA`/`PUTRI`, Javanese `SUMARNO`/`SUMARNI`,
 *    `HARYANTO`/`HARYANTI`, Latin `MARIO`/`MARIA`) or add a final `A` (`KARIM`/`KARIMA`,
 *    `FAUZI`/`FAUZIA`), and a husband's and wife's NIK being swapped is exactly what must not pass.
 *    It also refuses the Javanese `A`/`O` variant (`SAPUTRA`/`SAPUTRO`): left for a human to check.
 *  - `D`/`T` just before a final `I` is refused too: `-ADI` is male and `-ATI` female
 *    (`MULYADI`/`MULYATI`, `SUPRIYADI`/`SUPRIYATI`).
 *  - An empty key never matches.
 *
 * Hot path: runs once per candidate pair (millions). No allocation per call: the keys are copied
 * into reused typed-array buffers, doubled letters collapsed on the way. How often a letter was
 * written is read back from the key only for two words two letters apart, after the collapsed
 * comparison has failed.
 */

/** The measure in one paragraph, for the README. */
export const NAME_MATCH_RULE =
  'Names are compared on their keys (upper case, accents folded, titles and degrees removed, ' +
  'M./MUH./MOH. written out as MUHAMMAD and ST. as SITI). If only one side has a BIN/BINTI ' +
  "part (father's name) it is ignored; if both do, it is compared like the rest. Doubled letters " +
  'are collapsed (BAHARUDDIN = BAHARUDIN). Two names match when they are equal, when they are ' +
  'equal once spaces are removed (NUR HAYATI = NURHAYATI), or when they have the same words in ' +
  'the same order except for at most one letter edit in the whole name (one letter substituted, ' +
  'inserted, deleted, or two adjacent letters swapped: Damerau distance 1) inside a word of at ' +
  'least 5 letters on both sides. A typo that lands beside the same letter stays one edit although ' +
  'the collapse merges it with its neighbours (HIDAYAT = HIDAAAT, KARTINI = KARTIII), while names ' +
  'two letters apart with nothing written doubled do not match (YULIANA ≠ YULIA). ' +
  'The edit may not touch the first letter of a word, and may ' +
  'touch its last letter only for a spelling variant (I/Y, D/T, F/P, K/Q, S/Z, or a final H ' +
  'after a vowel); D/T just before a final I is also refused. These guards keep male and female ' +
  'forms apart (JUNAIDI/JUNAIDA, PUTRA/PUTRI, SUMARNO/SUMARNI, KARIM/KARIMA, MULYADI/MULYATI). ' +
  'So SUPARMAN = SUPARMEN and NURHAYATI = NURHAYATY, but ANI ≠ ANA, RUSLI ≠ RUSLAN, ' +
  'ABDUL RAHMAN ≠ ABDUL RAHIM. An empty name matches nothing.';

const SPACE = 32;
const A = 65;
const B = 66;
const D = 68;
const E = 69;
const F = 70;
const H = 72;
const I = 73;
const K = 75;
const N = 78;
const O = 79;
const P = 80;
const Q = 81;
const S = 83;
const T = 84;
const U = 85;
const Y = 89;
const Z = 90;

/** Shortest word, on both sides, in which a letter edit is allowed. */
const MIN_EDITABLE_LENGTH = 5;

// Reused buffers: collapsed letters of each side, and where each word starts in them (plus the
// end of the last word). The core is synchronous, so calls never interleave.
let lettersA = new Uint16Array(128);
let lettersB = new Uint16Array(128);
let startsA = new Int32Array(130);
let startsB = new Int32Array(130);

function ensureCapacity(length: number): void {
  if (lettersA.length >= length) return;
  const size = Math.max(length, lettersA.length * 2);
  lettersA = new Uint16Array(size);
  lettersB = new Uint16Array(size);
  startsA = new Int32Array(size + 2);
  startsB = new Int32Array(size + 2);
}

/** Index of the space before a `BIN`/`BINTI` word that is not the first word, or -1. */
function fatherIndex(key: string): number {
  // A plain scan: faster than indexOf on keys this short, and most keys have no BIN.
  const n = key.length;
  for (let p = 1; p + 3 < n; p++) {
    if (key.charCodeAt(p) !== SPACE || key.charCodeAt(p + 1) !== B) continue;
    if (key.charCodeAt(p + 2) !== I || key.charCodeAt(p + 3) !== N) continue;
    const q = p + 4;
    if (q === n || key.charCodeAt(q) === SPACE) return p;
    if (
      key.charCodeAt(q) === T &&
      key.charCodeAt(q + 1) === I &&
      (q + 2 === n || key.charCodeAt(q + 2) === SPACE)
    ) {
      return p;
    }
  }
  return -1;
}

/**
 * Copies `key[0..end)` into `letters` without spaces and with doubled letters collapsed inside
 * each word; records word starts in `starts` (and the total length after the last word).
 * Returns the number of words.
 */
function collapse(key: string, end: number, letters: Uint16Array, starts: Int32Array): number {
  let n = 0;
  let words = 0;
  let prev = SPACE;
  for (let i = 0; i < end; i++) {
    const c = key.charCodeAt(i);
    if (c === SPACE) {
      prev = SPACE;
      continue;
    }
    if (prev === SPACE) starts[words++] = n;
    else if (c === prev) continue;
    letters[n++] = c;
    prev = c;
  }
  starts[words] = n;
  return words;
}

function sameRange(x: Uint16Array, xs: number, y: Uint16Array, ys: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (x[xs + k] !== y[ys + k]) return false;
  return true;
}

/** Letters joined without word breaks, doubled letters across a former break collapsed too. */
function sameJoined(x: Uint16Array, xn: number, y: Uint16Array, yn: number): boolean {
  let i = 0;
  let j = 0;
  let px = -1;
  let py = -1;
  for (;;) {
    while (i < xn && x[i] === px) i++;
    while (j < yn && y[j] === py) j++;
    if (i === xn || j === yn) return i === xn && j === yn;
    const cx = x[i] as number;
    if (cx !== y[j]) return false;
    px = cx;
    py = cx;
    i++;
    j++;
  }
}

/** Final-letter substitutions that are spellings of the same name, not different names. */
function isFinalVariant(c1: number, c2: number): boolean {
  switch (c1) {
    case I: return c2 === Y;
    case Y: return c2 === I;
    case D: return c2 === T;
    case T: return c2 === D;
    case F: return c2 === P;
    case P: return c2 === F;
    case K: return c2 === Q;
    case Q: return c2 === K;
    case S: return c2 === Z;
    case Z: return c2 === S;
    default: return false;
  }
}

function isVowel(c: number): boolean {
  return c === A || c === E || c === I || c === O || c === U;
}

/**
 * Whether two different words are one allowed edit apart (see the module comment for what is
 * allowed where).
 */
function oneAllowedEdit(
  x: Uint16Array, xs: number, xl: number,
  y: Uint16Array, ys: number, yl: number,
): boolean {
  if (xl < MIN_EDITABLE_LENGTH || yl < MIN_EDITABLE_LENGTH) return false;
  if (xl === yl) {
    let i = 0;
    while (i < xl && x[xs + i] === y[ys + i]) i++;
    if (i === 0) return false;
    const last = xl - 1;
    if (i >= last) return i === last && isFinalVariant(x[xs + i] as number, y[ys + i] as number);
    if (sameRange(x, xs + i + 1, y, ys + i + 1, last - i)) {
      // Substitution inside the word; -ADI (male) vs -ATI (female).
      if (i === last - 1 && x[xs + last] === I) {
        const cx = x[xs + i];
        const cy = y[ys + i];
        if ((cx === D && cy === T) || (cx === T && cy === D)) return false;
      }
      return true;
    }
    // Swap of two adjacent letters, neither of them the last.
    return (
      i + 1 < last &&
      x[xs + i] === y[ys + i + 1] &&
      x[xs + i + 1] === y[ys + i] &&
      sameRange(x, xs + i + 2, y, ys + i + 2, last - i - 1)
    );
  }
  if (yl === xl + 1) return oneAllowedInsertion(y, ys, yl, x, xs, xl);
  if (xl === yl + 1) return oneAllowedInsertion(x, xs, xl, y, ys, yl);
  return false;
}

/** `long` is `short` with one letter more; allowed unless at the start or a final non-H. */
function oneAllowedInsertion(
  long: Uint16Array, ls: number, ll: number,
  short: Uint16Array, ss: number, sl: number,
): boolean {
  let i = 0;
  while (i < sl && long[ls + i] === short[ss + i]) i++;
  if (i === 0) return false;
  if (i === sl) return long[ls + i] === H && isVowel(long[ls + i - 1] as number);
  return sameRange(long, ls + i + 1, short, ss + i, sl - i);
}

/** Index in `key[0..end)` of the first letter of word number `word` (words as `collapse` counts them). */
function wordStart(key: string, end: number, word: number): number {
  let w = -1;
  let prev = SPACE;
  for (let i = 0; i < end; i++) {
    const c = key.charCodeAt(i);
    if (c !== SPACE && prev === SPACE && ++w === word) return i;
    prev = c;
  }
  return end;
}

/**
 * How many times the word of `key` starting at `start` (before `end`) writes its `index`-th
 * collapsed letter, or 0 when the word has fewer than {@link MIN_EDITABLE_LENGTH} letters as written.
 */
function writtenRun(key: string, start: number, end: number, index: number): number {
  let written = 0;
  let run = 0;
  let letter = -1;
  let prev = SPACE;
  for (let i = start; i < end; i++) {
    const c = key.charCodeAt(i);
    if (c === SPACE) break;
    written++;
    if (c !== prev) letter++;
    if (letter === index) run++;
    prev = c;
  }
  return written < MIN_EDITABLE_LENGTH ? 0 : run;
}

/**
 * Whether a collapsed word is one written edit from a word two letters longer, the collapse having
 * merged the typo with the letters around it (see the module comment): `long` is `short` with
 * `c X c` where `short` has one run of `c`, and that run is written at least twice in the short
 * word as typed (word number `word` of `shortKey[0..end)`).
 */
function oneEditMergedByCollapse(
  long: Uint16Array, ls: number, ll: number,
  short: Uint16Array, ss: number, sl: number,
  shortKey: string, end: number, word: number,
): boolean {
  if (ll < MIN_EDITABLE_LENGTH) return false;
  let p = 0;
  while (p < sl && long[ls + p] === short[ss + p]) p++;
  let q = 0;
  while (q < sl && long[ls + ll - 1 - q] === short[ss + sl - 1 - q]) q++;
  // `long[k]` and `long[k + 1]` are the two letters too many: long[0..k) = short[0..k) and
  // long[k + 2..) = short[k..). k ≥ 1, so `c` (short[k - 1]) stands before them and the first
  // letter is kept. Repeated pairs (ABABA / ABA) leave several k; any one with its trace will do.
  let start = -1; // where the short word starts in its key, found once it is needed
  for (let k = p < sl ? p : sl; k >= 1 && k >= sl - q; k--) {
    if (long[ls + k - 1] !== long[ls + k + 1]) continue;
    if (start < 0) start = wordStart(shortKey, end, word);
    if (writtenRun(shortKey, start, end, k - 1) >= 2) return true;
  }
  return false;
}

/**
 * Whether two name keys (from `nameKey`) name the same person: see {@link NAME_MATCH_RULE}.
 * Symmetric. An empty key matches nothing, not even another empty key.
 */
export function namesMatch(a: string, b: string): boolean {
  if (a.length === 0 || b.length === 0) return false;
  if (a === b) return true;

  let endA = a.length;
  let endB = b.length;
  const fatherA = fatherIndex(a);
  const fatherB = fatherIndex(b);
  if (fatherA >= 0 && fatherB < 0) endA = fatherA;
  else if (fatherB >= 0 && fatherA < 0) endB = fatherB;

  ensureCapacity(endA > endB ? endA : endB);
  const x = lettersA;
  const y = lettersB;
  const xStarts = startsA;
  const yStarts = startsB;
  const wordsA = collapse(a, endA, x, xStarts);
  const wordsB = collapse(b, endB, y, yStarts);
  if (wordsA === 0 || wordsB === 0) return false;
  if (wordsA !== wordsB) {
    return sameJoined(x, xStarts[wordsA] as number, y, yStarts[wordsB] as number);
  }

  let edited = false;
  for (let w = 0; w < wordsA; w++) {
    const xs = xStarts[w] as number;
    const ys = yStarts[w] as number;
    const xl = (xStarts[w + 1] as number) - xs;
    const yl = (yStarts[w + 1] as number) - ys;
    if (xl === yl && sameRange(x, xs, y, ys, xl)) continue;
    if (edited) return false;
    const d = xl - yl;
    if (d >= -1 && d <= 1) {
      if (!oneAllowedEdit(x, xs, xl, y, ys, yl)) return false;
    } else if (d === 2) {
      if (!oneEditMergedByCollapse(x, xs, xl, y, ys, yl, b, endB, w)) return false;
    } else if (d === -2) {
      if (!oneEditMergedByCollapse(y, ys, yl, x, xs, xl, a, endA, w)) return false;
    } else {
      return false;
    }
    edited = true;
  }
  return true;
}
