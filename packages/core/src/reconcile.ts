import type { Check, NormalizedRecord, Reason, Warning } from '@padan/contracts';
import type { DtksPerson } from './dtks-person.js';
import { namesMatch } from './name-match.js';

/** What a program record's own fields say when compared with DTKS, before cross-record evidence. */
export interface RecordVerdict {
  readonly reasons: Reason[];
  readonly details: string[];
  readonly warnings: Warning[];
  readonly notChecked: Check[];
  /** The DTKS row the record was compared with, if its NIK is in the release. */
  readonly matched: DtksPerson | null;
}

/**
 * Compares one normalized program record with the DTKS rows holding its NIK (`sameNik`, ordered by
 * file and row; the index passes one representative per distinct person, see representativeKey, and
 * `rowsHoldingNik` the number of rows). With several rows, the record is compared with the first row
 * whose name matches.
 * When no row's name matches, the NIK belongs to someone else: the record gets NAME_MISMATCH (and
 * DECEASED if that person is deceased), and birth date and region are not compared, because
 * comparing two different people's dates or domiciles says nothing about either record.
 */
export function reconcileRecord(rec: NormalizedRecord, sameNik: readonly DtksPerson[], rowsHoldingNik: number = sameNik.length): RecordVerdict {
  const reasons: Reason[] = [];
  const details: string[] = [];
  const warnings: Warning[] = [];
  // Checks skipped because a field is absent or empty, counted in the summary. Only field absence
  // counts here: a record with an invalid NIK is not compared at all, which its reason already says.
  const notChecked: Check[] = [];
  if (!rec.nameKey) notChecked.push('NAME');
  if (!rec.birthDate) notChecked.push('BIRTHDATE');
  if (!rec.regency) notChecked.push('REGION');
  if (rec.nikInvalid !== null) {
    reasons.push('INVALID_NIK');
    details.push(`INVALID_NIK:${rec.nikInvalid}`);
    return { reasons, details, warnings, notChecked, matched: null };
  }
  const first = sameNik[0];
  if (first === undefined) {
    reasons.push('NOT_IN_DTKS');
    return { reasons, details, warnings, notChecked, matched: null };
  }
  if (rowsHoldingNik > 1) warnings.push('NIK_MULTIPLE_IN_DTKS');
  let matched: DtksPerson = first;
  let nameOk = true;
  if (rec.nameKey) {
    const byName = sameNik.find((p) => namesMatch(rec.nameKey as string, p.nameKey));
    if (byName) matched = byName;
    else nameOk = false;
  }
  if (matched.deceased) reasons.push('DECEASED');
  if (!nameOk) {
    reasons.push('NAME_MISMATCH');
    return { reasons, details, warnings, notChecked, matched };
  }
  if (rec.birthDate) {
    if (!matched.birthDate) notChecked.push('BIRTHDATE');
    else if (rec.birthDate !== matched.birthDate) reasons.push('BIRTHDATE_MISMATCH');
  }
  if (rec.regency) {
    if (!matched.regency) notChecked.push('REGION');
    else if (rec.regency !== matched.regency) reasons.push('REGION_MISMATCH');
  }
  return { reasons, details, warnings, notChecked, matched };
}

/**
 * The family a record belongs to, for program exclusivity: the matched DTKS person's household;
 * else the household of the DTKS people with the record's No. KK (the smallest id when the KK is
 * spread over several); else the No. KK itself. No. KK alone is a weak key (it changes on a move,
 * a death or a split), which is why the DTKS household comes first.
 */
export function familyKey(
  matched: DtksPerson | null,
  noKk: string | null,
  householdsOfKk: readonly string[],
): string | null {
  if (matched?.householdId) return `H:${matched.householdId}`;
  if (noKk) {
    const hh = [...householdsOfKk].sort()[0];
    if (hh !== undefined) return `H:${hh}`;
    return `K:${noKk}`;
  }
  return null;
}
