import { createHmac } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '@padan/contracts';
import { changeIdentity, changeKey, maskNik, monthDiff } from '@padan/core';
import type { ChangeRow, ColumnMapping, FlaggedRecord, MonthDiff } from '@padan/core';
import { ChangesWriter } from '@padan/io';
import { readFlaggedRecords } from './flagged-records.js';
import { listedKeys } from './listed-keys.js';

async function collect(records: AsyncIterable<FlaggedRecord>): Promise<FlaggedRecord[]> {
  const out: FlaggedRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

function keyOf(r: FlaggedRecord): string {
  return changeKey(r.program, changeIdentity(r.nik, r.nikRaw, r.nama));
}

/**
 * Compares two months: the earlier and later findings.csv, and the later month's program files
 * (to tell a fixed record, still listed, from a removed one). Both months' findings are held (they
 * are the findings, not the files); the input files are streamed.
 */
export async function compareMonths(
  earlierFindings: string,
  laterFindings: string,
  laterPrograms: readonly { readonly source: Source; readonly path: string }[],
  mapping: Partial<Record<Source, ColumnMapping>>,
  laterPeriod: string,
  tempDir: string,
): Promise<MonthDiff> {
  const earlier = await collect(readFlaggedRecords(earlierFindings));
  const later = await collect(readFlaggedRecords(laterFindings));
  const flaggedLater = new Set(later.map(keyOf));
  const wanted = new Set<string>();
  for (const r of earlier) {
    const k = keyOf(r);
    if (!flaggedLater.has(k)) wanted.add(k);
  }
  const listed = await listedKeys(laterPrograms, mapping, laterPeriod, wanted, tempDir);
  return monthDiff(earlier, later, (k) => listed.has(k));
}

/**
 * The masked NIK of a row: a valid NIK, or the digits a damaged one cleaned to, keep their first and
 * last 4 digits (regency and serial, which identify no one); anything else shows nothing.
 */
function maskedNik(r: ChangeRow): string {
  const digits = r.nik !== '' ? r.nik : r.nikCleaned;
  return /^\d+$/.test(digits) ? maskNik(digits) : '';
}

/**
 * Writes changes.csv and changes.parquet into `dir`: one row per record, no NIK and no name (the
 * masked NIK and a keyed hash of the record's identity, which for a valid NIK is the mismatch
 * events' `nikHash`). Through temporary names and renames: a reader never sees half a file.
 */
export async function writeChanges(diff: MonthDiff, dir: string, before: string, after: string, hashKey: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const tmp = `.tmp-${process.pid}`;
  const writer = new ChangesWriter(join(dir, `changes.csv${tmp}`), join(dir, `changes.parquet${tmp}`));
  try {
    await writer.start();
    for (const r of diff.rows) {
      await writer.add({
        periodBefore: before,
        periodAfter: after,
        program: r.program,
        regency: r.regency,
        category: r.category,
        nikMasked: maskedNik(r),
        keyHash: createHmac('sha256', hashKey).update(r.identity).digest('hex'),
        reasonsBefore: r.reasonsBefore,
        reasonsAfter: r.reasonsAfter,
        recordsBefore: r.recordsBefore,
        recordsAfter: r.recordsAfter,
      });
    }
    await writer.finish();
    renameSync(join(dir, `changes.csv${tmp}`), join(dir, 'changes.csv'));
    renameSync(join(dir, `changes.parquet${tmp}`), join(dir, 'changes.parquet'));
  } finally {
    rmSync(join(dir, `changes.csv${tmp}`), { force: true });
    rmSync(join(dir, `changes.parquet${tmp}`), { force: true });
  }
}
