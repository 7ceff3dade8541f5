import type { Field, InputFormat, NormalizedRecord, Warning } from '@padan/contracts';
import { parseBirthDate } from './birth-date.js';
import { parseDtksStatus } from './dtks-status.js';
import { nameKey } from './name-key.js';
import { checkNik, cleanNik, nikDerived } from './nik.js';
import { cleanNoKk } from './no-kk.js';
import { parseRegionCode } from './region-code.js';
import type { RegionCatalog } from './region-catalog.js';

export interface NormalizeContext {
  readonly regions: RegionCatalog;
  readonly format: InputFormat;
  readonly isDtks: boolean;
  /** Year of the period, to place two-digit NIK years in a century when no birth date is recorded. */
  readonly periodYear: number;
}

/** Column positions of the fields in a batch, resolved once per batch rather than per row. */
export type FieldIndex = Readonly<Partial<Record<Field, number>>>;

export function fieldIndex(fields: readonly Field[]): FieldIndex {
  const idx: Partial<Record<Field, number>> = {};
  fields.forEach((f, i) => (idx[f] = i));
  return idx;
}

function get(values: readonly string[], i: number | undefined): string {
  return i === undefined ? '' : (values[i] ?? '');
}

/** Cleans and validates one row. Never throws: every defect becomes a detail or a warning. */
export function normalizeRecord(row: number, values: readonly string[], idx: FieldIndex, ctx: NormalizeContext): NormalizedRecord {
  const warnings: Warning[] = [];
  const nikRaw = get(values, idx.nik);
  const cleaned = cleanNik(nikRaw);
  const check = checkNik(cleaned, ctx.regions);
  if (check.regionUnknown) warnings.push('NIK_REGION_UNKNOWN');

  const birthRaw = get(values, idx.tanggal_lahir);
  // parseBirthDate gives null for blank text too: only a non-blank one is worth a warning.
  const birthDate = parseBirthDate(birthRaw, ctx.format === 'xlsx');
  if (birthDate === null && birthRaw.trim() !== '') warnings.push('BIRTHDATE_UNPARSEABLE');

  const region = parseRegionCode(get(values, idx.kode_wilayah), ctx.regions);
  if (region.warning) warnings.push(region.warning);

  const nama = get(values, idx.nama).trim();
  const key = nama === '' ? '' : nameKey(nama);

  const derived = check.invalid === null ? nikDerived(cleaned.nik, birthDate, ctx.periodYear) : null;

  let deceased: boolean | null = null;
  let householdId: string | null = null;
  if (ctx.isDtks) {
    householdId = get(values, idx.id_dtks).trim() || null;
    if (idx.status !== undefined) {
      const status = parseDtksStatus(get(values, idx.status));
      deceased = status === 'DECEASED';
      if (status === 'UNKNOWN') warnings.push('STATUS_UNKNOWN');
    } else {
      deceased = false;
    }
  }

  return {
    row,
    nikRaw,
    nik: cleaned.nik,
    nikInvalid: check.invalid,
    nikSex: derived?.sex ?? null,
    nikBirthDate: derived?.birthDate ?? null,
    noKk: cleanNoKk(get(values, idx.no_kk)),
    nama: nama === '' ? null : nama,
    nameKey: key === '' ? null : key,
    birthDate,
    kodeWilayah: region.code,
    regency: region.regency,
    householdId,
    deceased,
    warnings,
  };
}
