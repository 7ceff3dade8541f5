import { currentRegions, retiredRegions } from '@padan/wilayah';

/** Jambi (province 15) region codes, undotted, plus the code sets NIK checks need. */
export interface Village {
  /** 10 digits. */
  readonly code: string;
  readonly name: string;
  readonly regency: number;
  readonly kecamatan: number;
  /** Village part starting with 1: a kelurahan (urban), else a desa. */
  readonly kelurahan: boolean;
}

export interface Kecamatan {
  /** 6 digits. */
  readonly code: string;
  readonly regency: number;
  readonly villages: number[];
}

export interface Regency {
  /** 4 digits. */
  readonly code: string;
  readonly name: string;
  readonly weight: number;
  readonly kecamatan: number[];
  readonly villages: number[];
}

export interface JambiRegions {
  readonly regencies: Regency[];
  readonly kecamatan: Kecamatan[];
  readonly villages: Village[];
  /** Current and retired province codes (2 digits). */
  readonly provinces: ReadonlySet<string>;
  /** Current and retired regency codes (4 digits). */
  readonly knownRegencies: ReadonlySet<string>;
  /** Current and retired kecamatan codes (6 digits). */
  readonly knownKecamatan: ReadonlySet<string>;
  /** Retired kecamatan codes (6 digits): NIKs of people first registered in regions since renumbered. */
  readonly retiredKecamatan: string[];
  /** Kecamatan codes outside Jambi (6 digits), for strangers registered elsewhere. */
  readonly otherKecamatan: string[];
  /**
   * Kerinci (15.01) kecamatan numbers absent from today's list: the kecamatan that went to Kota
   * Sungai Penuh (15.72) when it split off in 2008. Old NIKs keep them.
   */
  readonly kerinciSplitKecamatan: string[];
}

/**
 * Household weights by regency, roughly the 2020 census population (thousands), so Kota Jambi
 * gets the most households and Kota Sungai Penuh the fewest.
 */
const POPULATION: Readonly<Record<string, number>> = {
  '1501': 250, '1502': 354, '1503': 290, '1504': 301, '1505': 402, '1506': 317,
  '1507': 229, '1508': 362, '1509': 337, '1571': 606, '1572': 96,
};

let cached: JambiRegions | undefined;

export function jambiRegions(): JambiRegions {
  if (cached) return cached;
  const provinces = new Set<string>();
  const knownRegencies = new Set<string>();
  const knownKecamatan = new Set<string>();
  const regencies: Regency[] = [];
  const kecamatan: Kecamatan[] = [];
  const villages: Village[] = [];
  const regencyIndex = new Map<string, number>();
  const kecIndex = new Map<string, number>();
  const otherKecamatan: string[] = [];
  const current = [...currentRegions()].map((r) => ({ code: r.code.replaceAll('.', ''), name: r.name }));
  current.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  for (const r of current) {
    const len = r.code.length;
    if (len === 2) provinces.add(r.code);
    else if (len === 4) knownRegencies.add(r.code);
    else if (len === 6) {
      knownKecamatan.add(r.code);
      if (!r.code.startsWith('15')) otherKecamatan.push(r.code);
    }
    if (!r.code.startsWith('15')) continue;
    if (len === 4) {
      regencyIndex.set(r.code, regencies.length);
      regencies.push({ code: r.code, name: r.name, weight: POPULATION[r.code] ?? 100, kecamatan: [], villages: [] });
    } else if (len === 6) {
      const reg = regencyIndex.get(r.code.slice(0, 4));
      if (reg === undefined) continue;
      kecIndex.set(r.code, kecamatan.length);
      (regencies[reg] as Regency).kecamatan.push(kecamatan.length);
      kecamatan.push({ code: r.code, regency: reg, villages: [] });
    } else if (len === 10) {
      const k = kecIndex.get(r.code.slice(0, 6));
      if (k === undefined) continue;
      const kec = kecamatan[k] as Kecamatan;
      kec.villages.push(villages.length);
      (regencies[kec.regency] as Regency).villages.push(villages.length);
      villages.push({ code: r.code, name: r.name.toUpperCase(), regency: kec.regency, kecamatan: k, kelurahan: r.code.charAt(6) === '1' });
    }
  }
  const retiredKecamatan: string[] = [];
  for (const r of retiredRegions()) {
    const code = r.code.replaceAll('.', '');
    if (code.length === 2) provinces.add(code);
    else if (code.length === 4) knownRegencies.add(code);
    else if (code.length === 6) {
      knownKecamatan.add(code);
      retiredKecamatan.push(code);
    }
  }
  retiredKecamatan.sort();
  const kerinciSplitKecamatan: string[] = [];
  for (let n = 1; n <= 15; n++) {
    const code = `1501${n < 10 ? '0' : ''}${n}`;
    if (!knownKecamatan.has(code)) kerinciSplitKecamatan.push(code);
  }
  if (regencies.length === 0 || villages.length === 0) throw new Error('no Jambi (15) regions in @padan/wilayah');
  cached = { regencies, kecamatan, villages, provinces, knownRegencies, knownKecamatan, retiredKecamatan, otherKecamatan, kerinciSplitKecamatan };
  return cached;
}

/** `15.71.01.1001` from `1571011001`. */
export function dottedVillage(code: string): string {
  return `${code.slice(0, 2)}.${code.slice(2, 4)}.${code.slice(4, 6)}.${code.slice(6)}`;
}
