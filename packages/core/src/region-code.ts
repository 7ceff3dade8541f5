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
  if (regions === lastCatalog && v === lastText) return lastCode as RegionCode;
  const code = readCode(v, regions);
  lastCatalog = regions;
  lastText = v;
  lastCode = Object.freeze(code);
  return code;
}

// The last code read, and for which catalog: the rows of a household, written one after another,
// share their village, and the answer (immutable) serves them all. Only a memo: the answer is
// the catalog's either way.
let lastCatalog: RegionCatalog | null = null;
let lastText = '';
let lastCode: RegionCode | null = null;

function readCode(v: string, regions: RegionCatalog): RegionCode {
  let code = plainCode(v);
  if (code === null) {
    const m = DOTTED_OR_PLAIN.exec(v);
    if (!m) return { code: null, regency: null, warning: 'REGION_CODE_INVALID' };
    code = `${m[1]}${m[2]}${m[3]}${m[4]}`;
  }
  const regency = code.slice(0, 4);
  return { code, regency, warning: regions.villages.has(code) ? null : 'REGION_CODE_UNKNOWN' };
}

function isDigitRun(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The two shapes lists write, `1571011001` and `15.71.01.1001`, read by char codes (no regex per
 * row); null for anything else, which the regex then decides.
 */
function plainCode(v: string): string | null {
  if (v.length === 10) return isDigitRun(v, 0, 10) ? v : null;
  if (v.length !== 13 || v.charCodeAt(2) !== 46 || v.charCodeAt(5) !== 46 || v.charCodeAt(8) !== 46) return null;
  if (!isDigitRun(v, 0, 2) || !isDigitRun(v, 3, 5) || !isDigitRun(v, 6, 8) || !isDigitRun(v, 9, 13)) return null;
  return v.slice(0, 2) + v.slice(3, 5) + v.slice(6, 8) + v.slice(9, 13);
}
