import type { BaseResult } from '../port/match-state.js';
import { clean, opt, parseRecordKey } from './state-codec.js';
import { ByteReader, ByteWriter, digitHead } from './packed-bytes.js';
import { nameOfId } from './name-ids.js';
import type { NameIds } from './name-ids.js';

/**
 * A base result as the Redis evidence stores it: binary, without its identity (period, source,
 * file and row are the field's, see RedisMatchState.putBase) and with its run id as an id of the
 * period's name table. About 40 bytes where packBase's text took about 110 with the record key:
 * the NIK's digits as an integer, the name in 5 bits a letter (ByteWriter.name), the household
 * id's head (`DTKS`) as its id in the period's name table when one is given (ByteWriter.headedText),
 * the family not repeated when it is `H:` + the household id (the usual family), lists only when
 * any is non-empty. It decodes to exactly what
 * unpackBase(packBase(b)) gives (clean() and empty-is-null alike), so both adapters answer alike.
 */
const FORMATS = ['csv', 'xlsx', 'jsonl'] as const;
const NIK_VALID = 1;
const NIK_RAW = 2;
const LISTS = 4;
const FAMILY_IS_HOUSEHOLD = 8;
const HAS_FAMILY = 16;
/** Bits 5 and 6: the format's index in FORMATS. */
const FORMAT_SHIFT = 5;

/** A list as the text codec gives it back: joined by U+001E and split again, so [''] is []. */
function listOf(xs: readonly string[], map: (s: string) => string = (s) => s): string[] {
  return xs.length === 1 && xs[0] === '' ? [] : xs.map(map);
}

/** The household id's head as the name table holds it (see packBaseBytes); '' when it has none. */
export function baseHouseholdHead(b: BaseResult): string {
  return b.householdId === null ? '' : digitHead(clean(b.householdId));
}

/** `heads`: the period's name table, which holds the household heads (baseHouseholdHead). */
export function packBaseBytes(b: BaseResult, runId: number, heads?: NameIds): Buffer {
  const household = clean(b.householdId);
  const family = clean(b.family);
  const lists = [listOf(b.reasons), listOf(b.details, clean), listOf(b.warnings), listOf(b.notChecked)];
  const familyIsHousehold = household !== '' && family === `H:${household}`;
  let flags = Math.max(0, FORMATS.indexOf(b.format)) << FORMAT_SHIFT;
  if (b.nikValid) flags |= NIK_VALID;
  if (b.nikRaw !== b.nik) flags |= NIK_RAW;
  if (lists.some((l) => l.length > 0)) flags |= LISTS;
  if (familyIsHousehold) flags |= FAMILY_IS_HOUSEHOLD;
  else if (family !== '') flags |= HAS_FAMILY;
  const w = new ByteWriter();
  w.byte(flags);
  w.varint(runId);
  if (flags & NIK_RAW) w.digitText(clean(b.nikRaw));
  w.digitText(clean(b.nik));
  w.name(clean(b.nama));
  if (flags & LISTS) {
    for (const l of lists) {
      w.varint(l.length);
      for (const x of l) w.text(x);
    }
  }
  w.digitText(b.suggestedNik ?? '');
  const head = digitHead(household);
  w.headedText(household, head === '' ? undefined : heads?.idOf(head));
  w.digitText(b.regency ?? '');
  if (flags & HAS_FAMILY) w.digitText(family);
  return w.done();
}

/** The run id's id of a packed base result, without decoding the rest. */
export function baseRunId(buf: Buffer): number {
  const r = new ByteReader(buf);
  r.byte();
  return r.varint();
}

/** The base result of record `key` packed by packBaseBytes; `runIdOf` names the run id's id, `heads` as given to packBaseBytes. */
export function unpackBaseBytes(key: string, buf: Buffer, runIdOf: (id: number) => string, heads?: NameIds): BaseResult {
  const r = new ByteReader(buf);
  const flags = r.byte();
  const runId = runIdOf(r.varint());
  const nikRaw = flags & NIK_RAW ? r.digitText() : null;
  const nik = r.digitText();
  const nama = r.name();
  const lists: string[][] = [[], [], [], []];
  if (flags & LISTS) {
    for (const l of lists) for (let n = r.varint(); n > 0; n--) l.push(r.text());
  }
  const suggestedNik = r.digitText();
  const householdId = r.headedText((id) => nameOfId(heads, id));
  const regency = r.digitText();
  const family = flags & FAMILY_IS_HOUSEHOLD ? `H:${householdId}` : flags & HAS_FAMILY ? r.digitText() : '';
  const id = parseRecordKey(key);
  return {
    key,
    period: id.period,
    source: id.source as BaseResult['source'],
    file: id.file,
    row: id.row,
    runId,
    format: FORMATS[(flags >> FORMAT_SHIFT) & 3] ?? 'csv',
    nikRaw: nikRaw || nik,
    nik,
    nikValid: (flags & NIK_VALID) !== 0,
    nama: opt(nama),
    reasons: lists[0] as BaseResult['reasons'],
    details: lists[1] as string[],
    warnings: lists[2] as BaseResult['warnings'],
    suggestedNik: opt(suggestedNik),
    householdId: opt(householdId),
    regency: opt(regency),
    notChecked: lists[3] as BaseResult['notChecked'],
    family: opt(family),
  };
}
