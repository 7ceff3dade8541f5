/**
 * Kemendagri region codes as sets, for NIK and domicile checks. Built from code lists by the
 * caller (the wilayah package reads the files), so this stays pure.
 * Codes are undotted digit strings: province 2, regency 4, kecamatan 6, village 10.
 */
export interface RegionCatalog {
  readonly provinces: ReadonlySet<string>;
  readonly retiredProvinces: ReadonlySet<string>;
  /** Current and retired regencies together. */
  readonly regencies: ReadonlySet<string>;
  readonly currentRegencies: ReadonlySet<string>;
  /** Current and retired kecamatan together. */
  readonly kecamatan: ReadonlySet<string>;
  readonly villages: ReadonlySet<string>;
}

export function buildRegionCatalog(current: Iterable<string>, retired: Iterable<string>): RegionCatalog {
  const provinces = new Set<string>();
  const retiredProvinces = new Set<string>();
  const regencies = new Set<string>();
  const currentRegencies = new Set<string>();
  const kecamatan = new Set<string>();
  const villages = new Set<string>();
  for (const dotted of current) {
    const code = dotted.replaceAll('.', '');
    if (code.length === 2) provinces.add(code);
    else if (code.length === 4) (regencies.add(code), currentRegencies.add(code));
    else if (code.length === 6) kecamatan.add(code);
    else if (code.length === 10) villages.add(code);
  }
  for (const dotted of retired) {
    const code = dotted.replaceAll('.', '');
    if (code.length === 2) retiredProvinces.add(code);
    else if (code.length === 4) regencies.add(code);
    else if (code.length === 6) kecamatan.add(code);
  }
  return { provinces, retiredProvinces, regencies, currentRegencies, kecamatan, villages };
}
