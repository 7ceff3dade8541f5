import { compareByFileRow, differsFromAny, representativeKey, signatureKey } from '@padan/core';
import type { DtksPerson, DuplicateDetail, DuplicateSignature } from '@padan/core';
import { G, packPerson, unpackPerson } from './state-codec.js';

/**
 * What the DTKS index keeps per NIK for reconciliation: the representatives (first row of each
 * distinct person, see representativeKey) and the DUPLICATE_IN_DTKS detail; `detail` is null while
 * one row holds the NIK. Its size grows with the distinct persons of a NIK, not with its rows.
 */
export interface NikGroupValue {
  readonly detail: DuplicateDetail | null;
  readonly reps: readonly DtksPerson[];
}

/** Starts a group value (several rows), to tell it from a single packed person (packPerson never writes U+001C). */
const GROUP_MARK = '\u001c';

/** A single row is its packed person; a group is GROUP_MARK, S or D, then the packed representatives joined by G. */
export function encodeNikGroup(v: NikGroupValue): string {
  if (v.detail === null) return packPerson(v.reps[0] as DtksPerson);
  return `${GROUP_MARK}${v.detail === 'SAME_PERSON' ? 'S' : 'D'}${v.reps.map(packPerson).join(G)}`;
}

/** The value stored under `nik`. */
export function decodeNikGroup(nik: string, s: string): NikGroupValue {
  if (!s.startsWith(GROUP_MARK)) return { detail: null, reps: [unpackPerson(nik, s)] };
  return { detail: s[1] === 'S' ? 'SAME_PERSON' : 'DIFFERENT_PERSON', reps: s.slice(2).split(G).map((r) => unpackPerson(nik, r)) };
}

/**
 * Adds rows to a NIK's value: each row is checked against the distinct signatures before it (the
 * detail), and becomes a representative unless an earlier row already represents its person. A row
 * that is already in the value (a redelivery) leaves the representatives as they are; callers write
 * the value only when the NIK gained rows, and then a redelivered row's self-comparison can only
 * matter for an empty name, which makes any group of two rows DIFFERENT_PERSON anyway.
 */
export function addToNikGroup(current: NikGroupValue | null, persons: readonly DtksPerson[]): NikGroupValue {
  let detail = current?.detail ?? null;
  let rows = current === null ? 0 : current.detail === null ? 1 : 2;
  const reps = current ? [...current.reps] : [];
  const signatures = new Map<string, DuplicateSignature>();
  const repIndex = new Map<string, DtksPerson>();
  for (const r of reps) {
    signatures.set(signatureKey(r), r);
    repIndex.set(representativeKey(r), r);
  }
  for (const p of persons) {
    if (rows >= 1) {
      if (detail !== 'DIFFERENT_PERSON') detail = differsFromAny(p, signatures.values()) ? 'DIFFERENT_PERSON' : 'SAME_PERSON';
    }
    rows++;
    signatures.set(signatureKey(p), p);
    const key = representativeKey(p);
    const rep = repIndex.get(key);
    if (rep !== undefined && compareByFileRow(rep, p) <= 0) continue;
    if (rep !== undefined) reps.splice(reps.indexOf(rep), 1);
    repIndex.set(key, p);
    let at = reps.length;
    while (at > 0 && compareByFileRow(reps[at - 1] as DtksPerson, p) > 0) at--;
    reps.splice(at, 0, p);
  }
  return { detail, reps };
}
