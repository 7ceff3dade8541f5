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
