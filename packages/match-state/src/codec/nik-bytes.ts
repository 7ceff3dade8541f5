/**
 * A valid NIK (16 digits, see core's nik.ts) as 7 bytes, big-endian (10^16 < 2^56): the members of
 * the birth-date index, concatenated without separators. Fixed width, so Lua compares and splits
 * them by position.
 */
export const NIK_BYTES = 7;

export function packNik(nik: string): Buffer {
  if (!/^\d{16}$/.test(nik)) throw new Error('packed NIK: a NIK of the DTKS index is not 16 digits (internal error: only valid NIKs are indexed)');
  const out = Buffer.alloc(NIK_BYTES);
  let v = BigInt(nik);
  for (let i = NIK_BYTES - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Every NIK packed in `b` (a concatenation of packNik), in order. */
export function unpackNiks(b: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at + NIK_BYTES <= b.length; at += NIK_BYTES) {
    let v = 0n;
    for (let i = at; i < at + NIK_BYTES; i++) v = (v << 8n) | BigInt(b[i] as number);
    out.push(v.toString().padStart(16, '0'));
  }
  return out;
}
