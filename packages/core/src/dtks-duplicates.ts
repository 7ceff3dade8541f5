import type { DtksPerson } from './dtks-person.js';
import { namesMatch } from './name-match.js';

/** What the DUPLICATE_IN_DTKS rule compares of a row: its name key and birth date. */
export interface DuplicateSignature {
  readonly nameKey: string;
  readonly birthDate: string | null;
}

export type DuplicateDetail = 'SAME_PERSON' | 'DIFFERENT_PERSON';

/** Two rows sharing a NIK name the same person: matching names, equal birth dates where both have one. */
export function samePerson(a: DuplicateSignature, b: DuplicateSignature): boolean {
  if (!namesMatch(a.nameKey, b.nameKey)) return false;
  return !(a.birthDate && b.birthDate && a.birthDate !== b.birthDate);
}

/**
 * Whether a row names a different person than any of the rows before it, given as their distinct
 * signatures. Every pair of a group is checked once, by the later row of the pair, so a group is
 * checked incrementally in time linear in its rows times its distinct signatures (one for a NIK
 * repeated with the same name), never quadratic in its rows. Comparing with a distinct signature is
 * comparing with every row that has it, including an identical one: an empty name matches nothing,
 * so two rows with no name are DIFFERENT_PERSON, as the pairwise rule says.
 */
export function differsFromAny(row: DuplicateSignature, before: Iterable<DuplicateSignature>): boolean {
  for (const other of before) if (!samePerson(row, other)) return true;
  return false;
}

/** The signature identity of a row, for keeping distinct signatures. */
export function signatureKey(s: DuplicateSignature): string {
  return `${s.nameKey}\u001f${s.birthDate ?? ''}`;
}

/**
 * DUPLICATE_IN_DTKS detail for a group of rows sharing one NIK: SAME_PERSON when every pair of
 * names matches and birth dates agree where both rows have one, else DIFFERENT_PERSON. Folds
 * `differsFromAny` over the group, as the match state does row by row.
 */
export function dtksDuplicateDetail(group: readonly DuplicateSignature[]): DuplicateDetail {
  const distinct = new Map<string, DuplicateSignature>();
  for (const row of group) {
    if (differsFromAny(row, distinct.values())) return 'DIFFERENT_PERSON';
    distinct.set(signatureKey(row), row);
  }
  return 'SAME_PERSON';
}

/**
 * The identity of a DTKS row as reconciliation sees it: rows of one NIK with equal name key, birth
 * date, regency, household and status give any program record the same verdict, so the index keeps
 * only the first of them (by file, then row) as the NIK's representative. A NIK repeated 10 000
 * times with one name is then one comparison per program record, not 10 000.
 */
export function representativeKey(p: DtksPerson): string {
  return [p.nameKey, p.birthDate ?? '', p.regency ?? '', p.householdId ?? '', p.deceased ? '1' : ''].join('\u001f');
}
