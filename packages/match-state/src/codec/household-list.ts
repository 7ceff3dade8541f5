import { ByteReader, ByteWriter, digitHead } from './packed-bytes.js';
import { nameOfId } from './name-ids.js';
import type { NameIds } from './name-ids.js';

/**
 * The DTKS households of a No. KK as the Redis index stores them (`kk` hashes): one entry per
 * household id, concatenated, each its byte length (a varint) and the id as ByteWriter.headedText
 * writes it, its head (`DTKS`) as its id in the release's name table: 8 bytes where the text took
 * 17 with its separator. add-households.lua appends an entry the value does not already hold, so
 * an entry must be the same bytes whoever writes it: `heads` must hold the head of every id packed
 * (RedisMatchState assigns it first), and ids keep every character (no clean(): the memory state
 * answers them as they came).
 */
export function packHousehold(id: string, heads?: NameIds): Buffer {
  const head = digitHead(id);
  const w = new ByteWriter();
  w.headedText(id, head === '' ? undefined : heads?.idOf(head));
  const bytes = w.done();
  const entry = new ByteWriter();
  entry.varint(bytes.length);
  entry.bytes(bytes);
  return entry.done();
}

/** The household ids of a stored value (packHousehold entries), in stored order. */
export function unpackHouseholds(value: Buffer, heads?: NameIds): string[] {
  const out: string[] = [];
  const r = new ByteReader(value);
  while (r.more) out.push(new ByteReader(r.bytes(r.varint())).headedText((id) => nameOfId(heads, id)));
  return out;
}
