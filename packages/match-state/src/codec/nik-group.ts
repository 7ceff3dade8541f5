import { compareByFileRow, differsFromAny, representativeKey, signatureKey } from '@padan/core';
import type { DtksPerson, DuplicateDetail, DuplicateSignature } from '@padan/core';
import { packPersonBytes, unpackPersonBytes } from './person-bytes.js';
import { ByteReader, ByteWriter } from './packed-bytes.js';
import type { NameIds } from './name-ids.js';

/**
 * What the DTKS index keeps per NIK for reconciliation: the representatives (first row of each
 * distinct person, see representativeKey) and the DUPLICATE_IN_DTKS detail; `detail` is null while
 * one row holds the NIK. Its size grows with the distinct persons of a NIK, not with its rows.
 */
export interface NikGroupValue {
  readonly detail: DuplicateDetail | null;
  readonly reps: readonly DtksPerson[];
}

/** A group value's first byte: bit 7 set (a packed person's flags byte never has it), bit 0 for DIFFERENT_PERSON. */
const GROUP = 0x80;
const DIFFERENT = 1;

/**
 * A single row is its packed person (person-bytes.ts); a group is the GROUP byte, then each
 * representative's length and packed bytes. `heads`: the release's name table (packPersonBytes).
 */
export function encodeNikGroup(v: NikGroupValue, heads?: NameIds): Buffer {
  if (v.detail === null) return packPersonBytes(v.reps[0] as DtksPerson, undefined, heads);
  const w = new ByteWriter();
  w.byte(GROUP | (v.detail === 'DIFFERENT_PERSON' ? DIFFERENT : 0));
  for (const r of v.reps) {
    const b = packPersonBytes(r, undefined, heads);
    w.varint(b.length);
    w.bytes(b);
  }
  return w.done();
}

/** The value stored under `nik`; `heads` as given to encodeNikGroup. */
export function decodeNikGroup(nik: string, b: Buffer, heads?: NameIds): NikGroupValue {
  const head = b[0] ?? 0;
  if ((head & GROUP) === 0) return { detail: null, reps: [unpackPersonBytes(nik, b, heads)] };
  const r = new ByteReader(b);
  r.byte();
  const reps: DtksPerson[] = [];
  while (r.more) reps.push(unpackPersonBytes(nik, r.bytes(r.varint()), heads));
  return { detail: head & DIFFERENT ? 'DIFFERENT_PERSON' : 'SAME_PERSON', reps };
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
