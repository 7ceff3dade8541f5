/**
 * A file as the Redis state stores it in a packed value: `U+0001<id>`, its id in the period's
 * name table (see redis/file-table.ts), which the codec packs as a varint (1–2 bytes) where the
 * name took 20 or more. A control character no file name starts with (clean() keeps it).
 */
export const FILE_TOKEN = '\u0001';

export function fileToken(id: number): string {
  return FILE_TOKEN + String(id);
}

/** The id of a file token (canonical decimal, below 2^31); null for anything else, e.g. a file name. */
export function fileTokenId(file: string): number | null {
  if (file.length < 2 || file.length > 11 || file.charCodeAt(0) !== 1) return null;
  for (let i = 1; i < file.length; i++) {
    const c = file.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  if (file.charCodeAt(1) === 48 && file.length > 2) return null;
  const id = Number(file.slice(1));
  return id < 2 ** 31 ? id : null;
}
