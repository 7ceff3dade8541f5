import { readDigits, writeDigits } from './packed-bytes.js';

/**
 * A valid NIK (16 digits, see core's nik.ts) as 7 bytes, big-endian (10^16 < 2^56): the members of
 * the birth-date index, concatenated without separators. Fixed width, so Lua compares and splits
 * them by position.
 */
export const NIK_BYTES = 7;

export function packNik(nik: string): Buffer {
  if (!/^\d{16}$/.test(nik)) throw new Error('packed NIK: a NIK of the DTKS index is not 16 digits (internal error: only valid NIKs are indexed)');
  const out = Buffer.allocUnsafe(NIK_BYTES);
  writeDigits(out, 0, NIK_BYTES, nik, 0);
  return out;
}

/** Every NIK packed in `b` (a concatenation of packNik), in order. */
export function unpackNiks(b: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at + NIK_BYTES <= b.length; at += NIK_BYTES) out.push(readDigits(b, at, NIK_BYTES, 16));
  return out;
}

const INLINE = 0x69; // 'i'
const OVERFLOW = 0x6f; // 'o'
const COMMA = 0x2c;

/**
 * The NIKs of one date of the birth-date index as birth-dates.lua answers them: '' when none, `i`
 * and the packed NIKs while the date's field holds them, or `o` and the overflow set's members:
 * each NIK's integer in decimal without its leading zeros (so Redis keeps the set an intset, see
 * add-birth-dates.lua), joined by `,`.
 */
export function birthDateNiks(value: Buffer): string[] {
  if (value.length === 0) return [];
  if (value[0] === INLINE) return unpackNiks(value.subarray(1));
  if (value[0] !== OVERFLOW) throw new Error('packed NIKs: a birth-date value is neither inline nor overflow (the state is inconsistent: rebuild it)');
  const out: string[] = [];
  for (let at = 1; at < value.length; ) {
    let end = value.indexOf(COMMA, at);
    if (end === -1) end = value.length;
    out.push(value.toString('latin1', at, end).padStart(16, '0'));
    at = end + 1;
  }
  return out;
}
