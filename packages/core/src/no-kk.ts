/** No. KK (family card number): 16 digits, cleaned like a NIK's separators. Anything else is not a key. */
export function cleanNoKk(raw: string): string | null {
  const v = raw.trim().replace(/^'|\.0+$/g, '').replace(/[\s.\-]/g, '');
  return /^\d{16}$/.test(v) && !/^0+$/.test(v) ? v : null;
}
