/**
 * A flat copy of `s` that shares nothing with its parent. V8 represents substrings of 13+
 * characters as slices of the original (a NIK kept as a map key would pin the whole line it was
 * cut from) and concatenations as trees of their parts. State kept for a whole period must hold
 * flat, independent strings; a round trip through bytes is the one portable way to get one
 * (slicing a concatenation, the usual trick, still yields a slice).
 */
export function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
