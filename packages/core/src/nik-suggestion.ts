/**
 * Suggests the DTKS NIK of the same person for a record whose NIK is invalid or not in DTKS.
 * A suggestion is made only when exactly one DTKS person is near the record's NIK, has the same
 * birth date and a matching name: never a guess between two candidates.
 */

export interface SuggestionInput {
  /** Cleaned NIK text (digits, possibly the wrong length). */
  readonly nik: string;
  /** Digits that survived Excel's scientific notation, when the value was damaged that way. */
  readonly survivingDigits: string | null;
}

/**
 * True when `candidate` (16 digits) could be what `nik` was meant to be:
 * - 16 digits: one changed digit, or one swap of adjacent digits;
 * - 15 digits: one digit lost anywhere;
 * - 10–14 digits: a truncated value, the candidate's prefix;
 * - Excel scientific notation: the candidate starts with the surviving digits.
 */
export function isNearNik(input: SuggestionInput, candidate: string): boolean {
  if (input.survivingDigits !== null) return sharesSurvivingDigits(input.survivingDigits, candidate);
  const nik = input.nik;
  if (!/^\d+$/.test(nik)) return false;
  if (nik.length === 16) return oneSubstitutionOrSwap(nik, candidate) || roundedBySpreadsheet(nik, candidate);
  if (nik.length === 15) return oneDeletion(candidate, nik);
  if (nik.length >= 10 && nik.length < 15) return candidate.startsWith(nik);
  return false;
}

/**
 * Excel shows a number with the significant digits it has room for, ROUNDED: 1571015203850002 with
 * six significant digits is 1.57102E+15. So the candidate matches when its leading digits, rounded
 * to as many digits as survived, equal them. Fewer than 6 digits say too little to suggest anything.
 */
function sharesSurvivingDigits(digits: string, candidate: string): boolean {
  const n = digits.length;
  if (n < 6 || n >= candidate.length) return false;
  if (candidate.startsWith(digits)) return true;
  // Round the candidate's first n + 1 digits to n (half up, as Excel displays).
  const head = Number(candidate.slice(0, n));
  const next = Number(candidate[n]);
  return String(next >= 5 ? head + 1 : head) === digits;
}

/**
 * A spreadsheet that stored the NIK as a number keeps 15 significant digits and ROUNDS the rest:
 * 1502021212650005 comes back as 1502021212650010 (two digits changed by the carry). So a 16-digit
 * value ending in 0 matches a candidate that rounds to it at 15 digits.
 */
function roundedBySpreadsheet(nik: string, candidate: string): boolean {
  if (!nik.endsWith('0') || candidate.length !== 16) return false;
  const head = Number(candidate.slice(0, 15));
  const rounded = Number(candidate[15]) >= 5 ? head + 1 : head;
  return `${String(rounded).padStart(15, '0')}0` === nik;
}

function oneSubstitutionOrSwap(a: string, b: string): boolean {
  let first = -1;
  let diffs = 0;
  for (let i = 0; i < 16; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (++diffs > 2) return false;
      if (first < 0) first = i;
    }
  }
  if (diffs === 1) return true;
  return diffs === 2 && a[first] === b[first + 1] && a[first + 1] === b[first];
}

/** True when deleting one character of `long` gives `short`. */
function oneDeletion(long: string, short: string): boolean {
  let i = 0;
  while (i < short.length && long.charCodeAt(i) === short.charCodeAt(i)) i++;
  return long.slice(i + 1) === short.slice(i);
}

export interface SuggestionCandidate {
  readonly nik: string;
  readonly nameKey: string;
}

/**
 * Picks the one candidate (already filtered to the record's birth date) that is near the NIK and
 * has a matching name. Several rows with the same NIK count as one person.
 */
export function suggestNik(
  input: SuggestionInput,
  nameKey: string | null,
  sameBirthDate: readonly SuggestionCandidate[],
  namesMatch: (a: string, b: string) => boolean,
): string | null {
  if (!nameKey) return null;
  let found: string | null = null;
  for (const c of sameBirthDate) {
    if (c.nik === input.nik || !isNearNik(input, c.nik) || !namesMatch(nameKey, c.nameKey)) continue;
    if (found !== null && found !== c.nik) return null;
    found = c.nik;
  }
  return found;
}
