import { z } from 'zod';
import { defineContract } from './contract.js';
import type { DtksIndexEntry } from './dtks-index-entry.js';
import { periodSchema } from './lineage.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The DTKS index changelog, many rows of one DTKS file per message (`padan.dtks-index.v3`,
 * compacted): v2 carried one row per message, about 1.2 M messages (and as many produce costs in
 * match) for a Jambi release.
 *
 * Each entry is a tuple of the DtksIndexEntry fields:
 * `[row, nik, nikRaw, householdId, noKk, nama, nameKey, birthDate, regency, deceased, warnings]`.
 * Rows are ascending and distinct. The key names the file and the exact row set
 * (MESSAGE_KEYS.dtksIndexBatch), so compaction only replaces a batch by a later one of the same
 * rows: every indexed row stays on the topic, from which a lost index can be rebuilt.
 */
export const dtksIndexTupleSchema = z.tuple([
  z.number().int().nonnegative(),
  z.string().min(1),
  z.string(),
  z.string().nullable(),
  z.string().nullable(),
  z.string().nullable(),
  z.string(),
  isoDate.nullable(),
  z.string().nullable(),
  z.boolean(),
  z.array(z.string()),
]);
export type DtksIndexTuple = z.infer<typeof dtksIndexTupleSchema>;

export const dtksIndexBatchSchema = z.object({
  v: z.literal(1),
  period: periodSchema,
  file: z.string().min(1),
  entries: z.array(dtksIndexTupleSchema).min(1),
});
export type DtksIndexBatch = z.infer<typeof dtksIndexBatchSchema>;
export const DtksIndexBatchContract = defineContract('dtks-index-batch', 3, dtksIndexBatchSchema);

/** Entries per message: DTKS rows are about 200 bytes as tuples, so 1 000 stay far below 1 MiB. */
export const DTKS_INDEX_ENTRIES_PER_BATCH = 1000;
/** Estimated bytes per message; long names close a batch early. */
export const DTKS_INDEX_BATCH_BYTES = 512 * 1024;

function estimatedBytes(e: DtksIndexEntry): number {
  let n = 120 + 3 * (e.nik.length + e.nikRaw.length + (e.householdId?.length ?? 0) + (e.noKk?.length ?? 0) + (e.nama?.length ?? 0) + e.nameKey.length + (e.regency?.length ?? 0));
  for (const w of e.warnings) n += w.length + 3;
  return n;
}

/**
 * Packs index entries into batches: grouped by period and file, one entry per row (the last
 * given), rows ascending, at most `DTKS_INDEX_ENTRIES_PER_BATCH` entries and about
 * `DTKS_INDEX_BATCH_BYTES` per batch.
 */
export function packDtksIndex(entries: readonly DtksIndexEntry[], maxEntries = DTKS_INDEX_ENTRIES_PER_BATCH, maxBytes = DTKS_INDEX_BATCH_BYTES): DtksIndexBatch[] {
  const groups = new Map<string, Map<number, DtksIndexEntry>>();
  for (const e of entries) {
    const k = `${e.period}\u0000${e.file}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = new Map()));
    g.set(e.row, e);
  }
  const out: DtksIndexBatch[] = [];
  for (const k of Array.from(groups.keys()).sort()) {
    const g = groups.get(k) as Map<number, DtksIndexEntry>;
    let batch: DtksIndexTuple[] = [];
    let bytes = 0;
    let at: DtksIndexEntry | undefined;
    const flush = () => {
      if (!at || batch.length === 0) return;
      out.push({ v: 1, period: at.period, file: at.file, entries: batch });
      batch = [];
      bytes = 0;
    };
    for (const row of Array.from(g.keys()).sort((a, b) => a - b)) {
      const e = g.get(row) as DtksIndexEntry;
      const size = estimatedBytes(e);
      if (batch.length > 0 && (batch.length >= maxEntries || bytes + size > maxBytes)) flush();
      at = e;
      batch.push([e.row, e.nik, e.nikRaw, e.householdId, e.noKk, e.nama, e.nameKey, e.birthDate, e.regency, e.deceased, e.warnings]);
      bytes += size;
    }
    flush();
  }
  return out;
}

/** The entries of a batch, one DtksIndexEntry per tuple. */
export function unpackDtksIndex(b: DtksIndexBatch): DtksIndexEntry[] {
  const out: DtksIndexEntry[] = new Array(b.entries.length);
  for (let i = 0; i < b.entries.length; i++) {
    const [row, nik, nikRaw, householdId, noKk, nama, nameKey, birthDate, regency, deceased, warnings] = b.entries[i] as DtksIndexTuple;
    out[i] = { v: 1, period: b.period, nik, nikRaw, file: b.file, row, householdId, noKk, nama, nameKey, birthDate, regency, deceased, warnings };
  }
  return out;
}
