import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CHANGE_CATEGORIES } from '@padan/core';
import type { MonthDiff } from '@padan/core';
import { regencyName } from '@padan/pipeline';
import { compareMonths, writeChanges } from './month-changes.js';
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
  const earlier = await monthFindingsFile(outDir, before);
  const later = await monthFindingsFile(outDir, after);
  const inputs = await monthInputs(outDir, after);
  const temp = openTempArea(outDir);
  let diff: MonthDiff;
  try {
    diff = await compareMonths(earlier, later, inputs.programs, inputs.mapping, after, temp.dir);
  } finally {
    temp.dispose();
  }
  const dir = resolve(args.to ?? join(outDir, 'changes', `period=${after}`));
  await writeChanges(diff, dir, before, after, hashKeyFromEnv());
  if (args.csv) {
    mkdirSync(dirname(resolve(args.csv)), { recursive: true });
    copyFileSync(join(dir, 'changes.csv'), resolve(args.csv));
  }
  log(formatChangeTotals(diff, before, after));
  log('');
  log(`changes: ${dir}`);
  return { dir, diff };
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
