import type { DtksPerson } from '@padan/core';
import { clean, opt } from './state-codec.js';
import { ByteReader, ByteWriter, dateOfDay, dayNumber, digitHead } from './packed-bytes.js';
import { fileToken, fileTokenId } from './file-token.js';
import { nameOfId } from './name-ids.js';
import type { NameIds } from './name-ids.js';

/**
 * A DTKS person as the Redis index stores it: binary, without its NIK (the key it is stored under)
 * and without its No. KK (reconciliation never reads a DTKS row's No. KK: the No. KK index maps a
 * KK to its households, and the changelog topic carries the row as it arrived). About 30 bytes
 * where packPerson's text takes about 85: the IDs' digits as integers, the birth date in 2 bytes,
 * the name in 5 bits a letter, the file as its id, the household id's head (`DTKS`) as its id in
 * the release's name table when one is given, every text length-prefixed (no separators). It
 * decodes to exactly what unpackPerson(packPerson(p)) gives (the same clean() and empty-is-null
 * rules), so the Redis and the memory state answer alike.
 *
 * Layout: a flags byte (bit 7 always 0: see nik-group.ts), the file (its FileTable id as a varint
 * when it is a token, else text) and row, nikRaw (only when it is not the NIK), household id
 * (ByteWriter.headedText), name,
 * the name key (only when it differs from the name), the birth date (2 bytes, or text when outside
 * 1900–2079), regency, warnings (only when any).
 */
const DECEASED = 1;
const OWN_NAME_KEY = 2;
const WARNINGS = 4;
const BIRTH_DAY = 8;
const BIRTH_TEXT = 16;
const FILE_ID = 32;
const NIK_RAW = 64;

/** The household id's head as the name table holds it (see packPersonBytes); '' when it has none. */
export function householdHead(p: DtksPerson): string {
  return p.householdId === null ? '' : digitHead(clean(p.householdId));
}

/**
 * `file`: the file as stored (a FileTable token), when it is not `p.file` (no copy of the person
 * per row). `heads`: the release's name table, which holds the household heads (householdHead).
 */
export function packPersonBytes(p: DtksPerson, file: string = p.file, heads?: NameIds): Buffer {
  const nama = clean(p.nama);
  const nameKey = clean(p.nameKey);
  const ownNameKey = p.nameKey !== p.nama;
  const day = p.birthDate ? dayNumber(p.birthDate) : null;
  const fileId = fileTokenId(file);
  if (fileId === null) file = clean(file);
  const nikRaw = clean(p.nikRaw === p.nik ? '' : p.nikRaw);
  let flags = 0;
  if (p.deceased) flags |= DECEASED;
  if (ownNameKey) flags |= OWN_NAME_KEY;
  if (p.warnings.length > 0) flags |= WARNINGS;
  if (day !== null) flags |= BIRTH_DAY;
  else if (p.birthDate) flags |= BIRTH_TEXT;
  if (fileId !== null) flags |= FILE_ID;
  if (nikRaw !== '') flags |= NIK_RAW;
  const w = new ByteWriter();
  w.byte(flags);
  if (fileId !== null) w.varint(fileId);
  else w.digitText(file);
  w.varint(p.row);
  if (nikRaw !== '') w.digitText(nikRaw);
  const household = clean(p.householdId);
  const head = digitHead(household);
  w.headedText(household, head === '' ? undefined : heads?.idOf(head));
  w.name(nama);
  if (ownNameKey) w.name(nameKey);
  if (day !== null) {
    w.byte(day >> 8);
    w.byte(day & 0xff);
  } else if (p.birthDate) w.text(p.birthDate);
  w.digitText(p.regency ?? '');
  if (p.warnings.length > 0) {
    w.varint(p.warnings.length);
    for (const x of p.warnings) w.text(x);
  }
  return w.done();
}

/** The person packed by packPersonBytes, stored under `nik`; `heads` as given to it (UnknownNameId when a head id is not in it). */
export function unpackPersonBytes(nik: string, b: Buffer, heads?: NameIds): DtksPerson {
  const r = new ByteReader(b);
  const flags = r.byte();
  const file = flags & FILE_ID ? fileToken(r.varint()) : r.digitText();
  const row = r.varint();
  const nikRaw = flags & NIK_RAW ? r.digitText() : '';
  const householdId = r.headedText((id) => nameOfId(heads, id));
  const nama = r.name();
  const nameKey = flags & OWN_NAME_KEY ? r.name() : nama;
  let birthDate: string | null = null;
  if (flags & BIRTH_DAY) birthDate = dateOfDay((r.byte() << 8) | r.byte());
  else if (flags & BIRTH_TEXT) birthDate = r.text();
  const regency = r.digitText();
  const warnings: string[] = [];
  if (flags & WARNINGS) for (let n = r.varint(); n > 0; n--) warnings.push(r.text());
  return {
    nik,
    nikRaw: nikRaw || nik,
    file,
    row,
    householdId: opt(householdId),
    noKk: null,
    nama: opt(nama),
    nameKey,
    birthDate: opt(birthDate ?? ''),
    regency: opt(regency),
    deceased: (flags & DECEASED) !== 0,
    warnings,
  };
}
