/**
 * DTKS person status. HIDUP/AKTIF are alive; MENINGGAL, MENINGGAL DUNIA, WAFAT and MD (meninggal
 * dunia) are deceased. Anything else is unknown: treated as alive, with a warning, because flagging
 * a living recipient as deceased is the costlier mistake.
 */
export type DtksStatus = 'ALIVE' | 'DECEASED' | 'UNKNOWN';

const ALIVE = new Set(['HIDUP', 'AKTIF', 'MASIH HIDUP']);
const DECEASED = new Set(['MENINGGAL', 'MENINGGAL DUNIA', 'WAFAT', 'MD', 'SUDAH MENINGGAL', 'TELAH MENINGGAL', 'MENINGGAL DUNIA MD']);

export function parseDtksStatus(raw: string): DtksStatus {
  // Most rows say HIDUP as written: no case folding or regex for them.
  if (ALIVE.has(raw)) return 'ALIVE';
  const v = raw.toUpperCase().replace(/[^A-Z]+/g, ' ').trim();
  if (ALIVE.has(v)) return 'ALIVE';
  if (DECEASED.has(v)) return 'DECEASED';
  return 'UNKNOWN';
}
