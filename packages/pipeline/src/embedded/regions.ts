import { buildRegionCatalog } from '@padan/core';
import type { RegionCatalog } from '@padan/core';
import { currentRegions, retiredRegions } from '@padan/wilayah';

let catalog: RegionCatalog | undefined;
let names: Map<string, string> | undefined;

/** The Kemendagri catalog, built once per process. */
export function regionCatalog(): RegionCatalog {
  catalog ??= buildRegionCatalog(
    currentRegions().map((r) => r.code),
    retiredRegions().map((r) => r.code),
  );
  return catalog;
}

/** Regency name by undotted 4-digit code, for the dashboard summary. */
export function regencyName(code: string): string | undefined {
  if (!names) {
    names = new Map();
    for (const r of currentRegions()) if (r.code.length === 5) names.set(r.code.replace('.', ''), r.name);
    for (const r of retiredRegions()) if (r.code.length === 5 && !names.has(r.code.replace('.', ''))) names.set(r.code.replace('.', ''), r.name);
  }
  return names.get(code);
}
