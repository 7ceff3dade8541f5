import { createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CHANGE_CATEGORIES, changeIdentity, changeKey, maskNik, monthDiff } from '@padan/core';
import type { ChangeRow, FlaggedRecord, MonthDiff } from '@padan/core';
import { ChangesWriter } from '@padan/io';
import { regencyName } from '@padan/pipeline';
import { readFlaggedRecords } from './flagged-records.js';
import { listedKeys } from './listed-keys.js';
import { monthFindingsFile } from './month-findings-file.js';
import { monthInputs } from './month-inputs.js';
import { hashKeyFromEnv } from './run-command.js';
import { openTempArea } from './temp-area.js';
import { UsageError } from './usage-error.js';

export interface DiffArgs {
  /** Exactly two: the earlier period, then the later one. */
  period: string[];
  out: string;
  /** Also write changes.csv here. */
  csv?: string;
  /** Folder for changes.csv and changes.parquet; default `<out>/changes/period=<later>/`. */
  to?: string;
}

export interface DiffResult {
  readonly dir: string;
  readonly diff: MonthDiff;
}

async function collect(records: AsyncIterable<FlaggedRecord>): Promise<FlaggedRecord[]> {
  const out: FlaggedRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
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
 * `padan diff --period A --period B --out DIR`: compares the findings of two periods run into one
 * `--out`, prints totals per program and regency × category and writes changes.csv and
 * changes.parquet (no NIK, no name: the masked NIK and a keyed hash of the record's identity, which
 * for a valid NIK is the `nikHash` of the mismatch events).
 */
export async function diffCommand(args: DiffArgs, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<DiffResult> {
  if (args.period.length !== 2) throw new UsageError(`give --period twice, the earlier month then the later one (got ${args.period.length})`);
  const [before, after] = args.period as [string, string];
  if (before >= after) throw new UsageError(`--period ${before} must come before --period ${after}: the first is the earlier month`);
  const outDir = resolve(args.out);
  // The earlier month's records stay in memory (its findings); the later month's too; the input files are streamed.
  const earlier = await collect(readFlaggedRecords(await monthFindingsFile(outDir, before)));
  const later = await collect(readFlaggedRecords(await monthFindingsFile(outDir, after)));
  const inputs = await monthInputs(outDir, after);
  const flaggedLater = new Set(later.map((r) => keyOf(r)));
  const wanted = new Set<string>();
  for (const r of earlier) {
    const k = keyOf(r);
    if (!flaggedLater.has(k)) wanted.add(k);
  }
  const temp = openTempArea(outDir);
  let listed: Set<string>;
  try {
    listed = await listedKeys(inputs.programs, inputs.mapping, after, wanted, temp.dir);
  } finally {
    temp.dispose();
  }
  const diff = monthDiff(earlier, later, (k) => listed.has(k));

  const hashKey = hashKeyFromEnv();
  const dir = resolve(args.to ?? join(outDir, 'changes', `period=${after}`));
  mkdirSync(dir, { recursive: true });
  // Written under temporary names and renamed, so a reader never sees half a file.
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
  if (args.csv) {
    mkdirSync(dirname(resolve(args.csv)), { recursive: true });
    copyFileSync(join(dir, 'changes.csv'), resolve(args.csv));
  }
  log(formatChangeTotals(diff, before, after));
  log('');
  log(`changes: ${dir}`);
  return { dir, diff };
}

function keyOf(r: FlaggedRecord): string {
  return changeKey(r.program, changeIdentity(r.nik, r.nikRaw, r.nama));
}

/** Totals per program and regency × category, with a total line per program. */
export function formatChangeTotals(diff: MonthDiff, before: string, after: string): string {
  const head = `${'program'.padEnd(8)} ${'regency'.padEnd(40)}${CHANGE_CATEGORIES.map((c) => c.padStart(11)).join('')}`;
  const lines = [`changes from ${before} to ${after} (records flagged in either month, by program and regency):`, head];
  const line = (program: string, regency: string, counts: Readonly<Record<string, number>>) =>
    `${program.padEnd(8)} ${regency.padEnd(40)}${CHANGE_CATEGORIES.map((c) => String(counts[c] ?? 0).padStart(11)).join('')}`;
  const programs = [...new Set(diff.totals.map((t) => t.program))];
  for (const program of programs) {
    const sum: Record<string, number> = {};
    for (const t of diff.totals.filter((x) => x.program === program)) {
      const name = t.regency === '' ? '(unknown)' : `${t.regency} ${regencyName(t.regency) ?? ''}`.trim();
      lines.push(line(program, name.slice(0, 40), t.counts));
      for (const c of CHANGE_CATEGORIES) sum[c] = (sum[c] ?? 0) + t.counts[c];
    }
    lines.push(line(program, 'all regencies', sum));
  }
  if (programs.length === 0) lines.push('(no record flagged in either month)');
  return lines.join('\n');
}
