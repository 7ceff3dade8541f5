import type { RegionCatalog } from './region-catalog.js';

export interface RegionCode {
  /** 10 digits, undotted; null when the value is absent or malformed. */
  readonly code: string | null;
  readonly regency: string | null;
  readonly warning: 'REGION_CODE_INVALID' | 'REGION_CODE_UNKNOWN' | null;
}

// Dots are the Kemendagri style; spaces and dashes come from hand-typed sheets.
const DOTTED_OR_PLAIN = /^(\d{2})[.\s-]?(\d{2})[.\s-]?(\d{2})[.\s-]?(\d{4})$/;

/** Domicile region code: 10 Kemendagri digits, plain (`1571011001`) or dotted (`15.71.01.1001`; spaces or dashes accepted too). */
export function parseRegionCode(raw: string, regions: RegionCatalog): RegionCode {
  const v = raw.trim();
  if (v === '') return { code: null, regency: null, warning: null };
  const m = DOTTED_OR_PLAIN.exec(v);
  if (!m) return { code: null, regency: null, warning: 'REGION_CODE_INVALID' };
  const code = `${m[1]}${m[2]}${m[3]}${m[4]}`;
  const regency = code.slice(0, 4);
  return { code, regency, warning: regions.villages.has(code) ? null : 'REGION_CODE_UNKNOWN' };
}
