import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/**
 * Kemendagri region codes shipped with padan (see data/README.md for the source and licence).
 * Read once per process: about 90 k codes, a few MB in memory.
 */
export interface Region {
  /** Dotted code, e.g. `15.71.01.1001`. */
  readonly code: string;
  readonly name: string;
}

const dataDir = fileURLToPath(new URL('../data/', import.meta.url));

let current: Region[] | undefined;
let retired: Region[] | undefined;

function parse(text: string): Region[] {
  const out: Region[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const comma = line.indexOf(',');
    const rest = line.slice(comma + 1);
    // retired-codes.csv has a third column; names never contain commas in either file.
    const end = rest.indexOf(',');
    out.push({ code: line.slice(0, comma), name: end < 0 ? rest : rest.slice(0, end) });
  }
  return out;
}

/** Every code of the 2025 Kemendagri list (provinces, regencies, kecamatan, villages). */
export function currentRegions(): readonly Region[] {
  current ??= parse(gunzipSync(readFileSync(`${dataDir}wilayah-2025.csv.gz`)).toString('utf8'));
  return current;
}

/** Province, regency and kecamatan codes present in 2016–2023 lists and gone from 2025. */
export function retiredRegions(): readonly Region[] {
  retired ??= parse(readFileSync(`${dataDir}retired-codes.csv`, 'utf8'));
  return retired;
}
