import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { PERIOD_PATTERN, REASONS } from '@padan/contracts';
import { FollowOnError, generate, generateFollowOn, scoreFindings } from '@padan/synth';
import type { Score } from '@padan/synth';
import { snapshotFilePath } from '@padan/pipeline';
import { runCommand } from './run-command.js';
import { UsageError } from './usage-error.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function period(value: string): string {
  if (!PERIOD_PATTERN.test(value)) throw new InvalidArgumentError('expected YYYY-MM, e.g. 2021-09');
  return value;
}

interface GenerateArgs {
  out: string;
  households: number;
  seed: number;
  period: string;
  formats: 'mixed' | 'csv';
  followOn?: string;
}

/** The score table `padan demo` prints: precision and recall per reason code, and for suggestions. */
export function formatScore(score: Score): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const lines = ['reason                  truth  found  precision  recall'];
  for (const reason of REASONS) {
    const c = score.perReason[reason];
    if (!c) continue;
    lines.push(`${reason.padEnd(22)} ${String(c.tp + c.fn).padStart(6)} ${String(c.tp + c.fp).padStart(6)}    ${pct(c.precision)} ${pct(c.recall)}`);
  }
  const s = score.suggestion;
  lines.push(`${'suggested_nik'.padEnd(22)} ${String(s.tp + s.fn).padStart(6)} ${String(s.tp + s.fp).padStart(6)}    ${pct(s.precision)} ${pct(s.recall)}`);
  return lines.join('\n');
}

/** `padan generate` and `padan demo`: synthetic Jambi data with ground truth, and a scored run. */
export function registerSynthCommands(program: Command): void {
  program
    .command('generate')
    .description('write realistic synthetic Jambi data (DTKS and four programs) with a ground-truth file')
    .requiredOption('--out <dir>', 'output folder')
    .option('--households <n>', 'number of DTKS households', positiveInt, 2000)
    .option('--seed <n>', 'random seed; the same seed gives the same files', positiveInt, 1)
    .option('--period <YYYY-MM>', 'period of the files', period, '2021-09')
    .option('--formats <mixed|csv>', 'mixed: CSV, XLSX and JSON Lines; csv: CSV only', 'mixed')
    .option('--follow-on <dir>', 'write the month after the one generated in <dir> (same population and options; --households, --seed, --period and --formats are taken from it), with truth-changes.csv')
    .action(async (opts: GenerateArgs, cmd: Command) => {
      let files;
      if (opts.followOn !== undefined) {
        const given = ['households', 'seed', 'period', 'formats'].filter((o) => cmd.getOptionValueSource(o) === 'cli');
        if (given.length > 0) throw new UsageError(`--follow-on takes the options of the earlier month; drop --${given.join(', --')}`);
        files = await generateFollowOn({ from: resolve(opts.followOn), outDir: resolve(opts.out) }).catch((e: unknown) => {
          throw e instanceof FollowOnError ? new UsageError(e.message) : e;
        });
      } else files = await generate({ outDir: resolve(opts.out), households: opts.households, seed: opts.seed, period: opts.period, formats: opts.formats });
      process.stdout.write(`DTKS     ${files.dtks}\n`);
      for (const p of files.programs) process.stdout.write(`${p.program.padEnd(8)} ${p.path}\n`);
      process.stdout.write(`truth    ${files.truth}\n`);
      if ('changes' in files) process.stdout.write(`changes  ${files.changes}\n`);
    });

  program
    .command('demo')
    .description('generate synthetic data, run the pipeline on it, and score the findings against the truth')
    .option('--out <dir>', 'working folder', 'demo-out')
    .option('--households <n>', 'number of DTKS households', positiveInt, 3000)
    .option('--seed <n>', 'random seed', positiveInt, 1)
    .action(async (opts: { out: string; households: number; seed: number }) => {
      const out = resolve(opts.out);
      const dataDir = join(out, 'input');
      mkdirSync(dataDir, { recursive: true });
      process.stdout.write(`generating ${opts.households} synthetic Jambi households into ${dataDir}\n`);
      const files = await generate({ outDir: dataDir, households: opts.households, seed: opts.seed, period: '2021-09' });
      const result = await runCommand({
        period: files.period,
        dtks: files.dtks,
        program: files.programs.map((p) => ({ source: p.program, path: p.path })),
        out: join(out, 'store'),
        date: '2021-09-30',
      });
      const score = await scoreFindings(join(result.snapshotDir, snapshotFilePath('findings.csv')), files.truth);
      process.stdout.write(`\nscore against the generator's ground truth (${files.truth}):\n${formatScore(score)}\n`);
    });
}
