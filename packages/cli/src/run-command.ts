import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadMapping, loadRules } from './config-files.js';
import type { EmbeddedRunOptions, EmbeddedRunResult, PipelineInput } from '@padan/pipeline';
import { deadLetterNotice } from './dead-letter-notice.js';
import { runEmbeddedInWorker } from './embedded-worker-run.js';
import { guardInputs, guardResult } from './guardrails.js';
import type { GuardrailOptions } from './guardrails.js';
import { checkInputFiles } from './input-files.js';
import { checkDtksSizeBeforeUpload } from './input-row-counts.js';
import { jakartaDate } from './jakarta-date.js';
import { ensureOutputFolder } from './output-folder.js';
import { writeRunRecord } from './run-record.js';
import { parseSnapshotDate } from './snapshot-date.js';
import { openTempArea } from './temp-area.js';
import { terminalProgress } from './progress.js';
import { formatStatusTable } from './summary-table.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The dashboard hash key; the embedded default is only for trying padan on sample data. */
export function hashKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.PADAN_HASH_KEY;
  if (key) return key;
  process.stderr.write('padan: PADAN_HASH_KEY is not set; mismatch events use a development key. Set a secret key for real data.\n');
  return 'padan-development-key-not-secret';
}

export interface RunArgs extends GuardrailOptions {
  period: string;
  dtks: string;
  program: PipelineInput[];
  out: string;
  rules?: string;
  mapping?: string;
  date?: string;
  /** Print rows, wall time, rows/s and peak RSS after the run (benchmarks). */
  stats?: boolean;
  /** Accept a DTKS release with no rows or fewer than 1 % of the program rows. */
  allowSmallDtks?: boolean;
}

/**
 * Everything a run needs from its arguments, checked before any input is read: the date, every
 * input file readable and given once, the rules and mapping files parseable, `--out` writable.
 */
export function checkRunArguments(args: RunArgs): { date: string; inputs: PipelineInput[]; outDir: string; rules: ReturnType<typeof loadRules>; mapping: ReturnType<typeof loadMapping> } {
  const date = args.date === undefined ? jakartaDate() : parseSnapshotDate(args.date);
  const inputs: PipelineInput[] = [{ source: 'DTKS', path: resolve(args.dtks) }, ...args.program];
  checkInputFiles(inputs);
  const rules = loadRules(args.rules);
  const mapping = loadMapping(args.mapping);
  const outDir = ensureOutputFolder(args.out);
  return { date, inputs, outDir, rules, mapping };
}

export async function runCommand(
  args: RunArgs,
  log: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  warn: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<EmbeddedRunResult> {
  const started = process.hrtime.bigint();
  const checked = checkRunArguments(args);
  await guardInputs(args.period, checked.inputs, { ...args, mapping: checked.mapping, workDir: checked.outDir }, warn);
  const result = await runAndReport({ period: args.period, ...checked, allowSmallDtks: Boolean(args.allowSmallDtks) }, log, warn);
  writeRunRecord(checked.outDir, {
    v: 1,
    period: args.period,
    date: checked.date,
    inputs: result.inputs,
    rules: args.rules ? resolve(args.rules) : null,
    mapping: args.mapping ? resolve(args.mapping) : null,
    allowSmallDtks: Boolean(args.allowSmallDtks),
    fixes: [],
  });
  if (args.stats) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rows = result.status.files.reduce((n, f) => n + (f.rowsRead ?? 0), 0);
    const rss = Math.round(process.resourceUsage().maxRSS / 1024);
    log(`stats: ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s, peak RSS ${rss} MB`);
    log(`work: ${result.work.results} results emitted by match, ${result.work.stateItems} items through the match state`);
  }
  await guardResult(args.period, checked.outDir, result.snapshotDir, args, warn);
  return result;
}

/** The embedded run as `padan run` and `padan dlq redrive` do it: temporary files inside --out, the table, the dead-letter notice. */
export async function runAndReport(
  run: Pick<EmbeddedRunOptions, 'period' | 'inputs' | 'outDir' | 'date' | 'rules' | 'mapping' | 'allowSmallDtks' | 'fixes'>,
  log: (s: string) => void,
  warn: (s: string) => void,
): Promise<EmbeddedRunResult> {
  const temp = openTempArea(run.outDir);
  const progress = terminalProgress();
  let result: EmbeddedRunResult;
  try {
    result = await runEmbeddedInWorker({ ...run, hashKey: hashKeyFromEnv(), padanVersion: VERSION, workDir: temp.dir }, (f, n) => progress.update(f, n));
  } finally {
    progress.done();
    temp.dispose();
  }
  const summary = JSON.parse(readFileSync(resolve(result.snapshotDir, 'summary.json'), 'utf8')) as { programs: { program: string; outcomes: Record<string, number> }[] };
  const outcomes = new Map(summary.programs.map((p) => [p.program, p.outcomes]));
  log(formatStatusTable(result.status, outcomes));
  log('');
  const notice = deadLetterNotice(result.status, result.snapshotDir, run.period, run.outDir);
  if (notice) warn(notice);
  log(`snapshot: ${result.snapshotDir}`);
  return result;
}


/** `padan run --mode distributed`: the same job through the four services on Kafka, Redis and S3. */
export async function distributedRunCommand(args: RunArgs, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<string> {
  // The same checks as the embedded run, before the services start and the files are uploaded.
  const date = args.date === undefined ? jakartaDate() : parseSnapshotDate(args.date);
  const inputs: PipelineInput[] = [{ source: 'DTKS', path: resolve(args.dtks) }, ...args.program];
  checkInputFiles(inputs);
  const outDir = ensureOutputFolder(args.out);
  // Read with PADAN_MAPPING_FILE, as the ingest service will.
  await guardInputs(args.period, inputs, { ...args, mapping: loadMapping(process.env.PADAN_MAPPING_FILE), workDir: outDir });
  if (!args.allowSmallDtks) await checkDtksSizeBeforeUpload(inputs, { mapping: loadMapping(process.env.PADAN_MAPPING_FILE), workDir: outDir });
  const { runDistributed } = await import('./distributed.js');
  const r = await runDistributed({ period: args.period, inputs, outDir, date, log });
  log(`snapshot: ${r.snapshotDir}`);
  await guardResult(args.period, outDir, r.snapshotDir, args);
  return r.snapshotDir;
}
