/** No. KK (family card number): 16 digits, cleaned like a NIK's separators. Anything else is not a key. */
export function cleanNoKk(raw: string): string | null {
  if (isPlainNoKk(raw)) return raw;
  const v = raw.trim().replace(/^'|\.0+$/g, '').replace(/[\s.\-]/g, '');
  return /^\d{16}$/.test(v) && !/^0+$/.test(v) ? v : null;
}

/**
 * The common case, decided by char codes without the regexes: 16 ASCII digits, not all zeros, is
 * already clean (trimming and removing separators would change nothing).
 */
function isPlainNoKk(raw: string): boolean {
  if (raw.length !== 16) return false;
  let zeros = true;
  for (let i = 0; i < 16; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (c !== 48) zeros = false;
  }
  return !zeros;
}
