import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadMapping, loadRules } from './config-files.js';
import type { EmbeddedRunResult, PipelineInput } from '@padan/pipeline';
import { deadLetterNotice } from './dead-letter-notice.js';
import { snapshotFilePath } from '@padan/pipeline';
import { runEmbeddedInWorker } from './embedded-worker-run.js';
import type { WorkerRunOptions } from './embedded-worker-messages.js';
import { guardInputs, guardResult } from './guardrails.js';
import type { GuardrailOptions } from './guardrails.js';
import { checkInputFiles } from './input-files.js';
import { checkDtksSizeBeforeUpload } from './input-row-counts.js';
import { jakartaDate } from './jakarta-date.js';
import { ensureOutputFolder } from './output-folder.js';
import { archiveConfig, archiveInput } from './input-archive.js';
import { checkReleaseId, listReleases, releaseInForce, saveRelease } from './dtks-releases.js';
import { runPeriod } from './period-run.js';
import { hasRunRecord, readRunRecord } from './run-record.js';
import type { ArchivedInput, RunRecord } from './run-record.js';
import { UsageError } from './usage-error.js';
import { registryName } from './registry-name.js';
import { parseSnapshotDate } from './snapshot-date.js';
import { openTempArea } from './temp-area.js';
import { terminalProgress } from './progress.js';
import { formatStatusTable } from './summary-table.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The dashboard hash key; the embedded default is only for trying padan on sample data. */
export function hashKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.PADAN_HASH_KEY;
  if (key) return key;
  process.stderr.write('padan: PADAN_HASH_KEY is not set; mismatch events and changes use a development key for their NIK hashes. Set a secret key for real data.\n');
  return 'padan-development-key-not-secret';
}

export interface RunArgs extends GuardrailOptions {
  period: string;
  /** The period's DTKS release; default: the period's own (an earlier run), else the release in force. */
  dtks?: string;
  /** An id for the release `--dtks` loads (default: the period). */
  release?: string;
  program?: PipelineInput[];
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
  if (args.release !== undefined && args.dtks === undefined) throw new UsageError('--release names the release --dtks loads; give --dtks FILE with it');
  if (args.release !== undefined) checkReleaseId(args.release);
  const inputs: PipelineInput[] = [...(args.dtks ? [{ source: 'DTKS' as const, path: resolve(args.dtks) }] : []), ...(args.program ?? [])];
  checkInputFiles(inputs);
  const rules = loadRules(args.rules);
  const mapping = loadMapping(args.mapping);
  const outDir = ensureOutputFolder(args.out);
  return { date, inputs, outDir, rules, mapping };
}

/**
 * `padan run` (embedded): the period's inputs are the files given plus, when the period was run
 * before under `--out`, the files of the earlier run that were not replaced (a program given
 * replaces every file of that program; said on stderr). Every input is archived under `--out`
 * first, and the run replays the archive, as `padan reprocess` will.
 */
export async function runCommand(
  args: RunArgs,
  log: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  warn: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<EmbeddedRunResult> {
  const started = process.hrtime.bigint();
  const checked = checkRunArguments(args);
  await guardInputs(args.period, checked.inputs, { ...args, mapping: checked.mapping, workDir: checked.outDir }, warn);
  const { outDir, date } = checked;
  const record = await periodInputs(args, checked.inputs, outDir, warn);
  const result = await runPeriod(outDir, { ...record, date }, { date, allowSmallDtks: Boolean(args.allowSmallDtks), justArchived: true }, log, warn);
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

/** The period's record for this run: given files archived, the DTKS release resolved, earlier files kept or replaced. */
async function periodInputs(args: RunArgs, given: readonly PipelineInput[], outDir: string, warn: (s: string) => void): Promise<RunRecord> {
  const previous = hasRunRecord(outDir, args.period) ? readRunRecord(outDir, args.period) : null;
  // Refused before anything is archived: a run without a program file has nothing to reconcile.
  if (!given.some((i) => i.source !== 'DTKS') && !(previous?.inputs ?? []).some((i) => i.source !== 'DTKS')) {
    throw new UsageError(`no program file for period ${args.period}: give --program NAME=FILE`);
  }
  const archived: ArchivedInput[] = [];
  for (const input of given) archived.push(await archiveInput(outDir, args.period, input));
  const dtksGiven = archived.filter((i) => i.source === 'DTKS');
  let release: { id: string; from: string };
  let dtks: readonly ArchivedInput[];
  if (dtksGiven.length > 0) {
    const explicit = args.release !== undefined;
    const saved = saveRelease(outDir, { id: args.release ?? args.period, from: args.period, files: dtksGiven }, explicit);
    if (saved.replaced) warn(`padan: ${registryName()} release ${saved.release.id} reloaded with other files (${saved.release.files.map((f) => f.file).join(', ')}); periods that used the earlier files keep them until reprocessed`);
    release = { id: saved.release.id, from: saved.release.from };
    dtks = dtksGiven;
  } else if (previous && previous.release) {
    release = previous.release;
    dtks = previous.inputs.filter((i) => i.source === 'DTKS');
  } else {
    const inForce = releaseInForce(outDir, args.period);
    if (!inForce) {
      const loaded = listReleases(outDir).map((r) => `${r.id} from ${r.from}`);
      throw new UsageError(`no ${registryName()} release for period ${args.period} under ${outDir}${loaded.length > 0 ? ` (loaded: ${loaded.join(', ')})` : ''}; give --dtks FILE`);
    }
    release = { id: inForce.id, from: inForce.from };
    dtks = inForce.files;
  }
  const givenSources = new Set(archived.map((i) => i.source));
  const kept = (previous?.inputs ?? []).filter((i) => i.source !== 'DTKS' && !givenSources.has(i.source));
  if (kept.length > 0) warn(`padan: kept from the earlier run of ${args.period}: ${kept.map((i) => `${i.source}/${i.file}`).join(', ')} (a program given replaces that program's files; padan withdraw removes a file)`);
  const replaced = (previous?.inputs ?? []).filter((i) => i.source !== 'DTKS' && givenSources.has(i.source) && !archived.some((a) => a.source === i.source && a.sha256 === i.sha256 && a.file === i.file));
  if (replaced.length > 0) warn(`padan: replaced in ${args.period}: ${replaced.map((i) => `${i.source}/${i.file}`).join(', ')} (their records and results are retracted)`);
  const programs = [...kept, ...archived.filter((i) => i.source !== 'DTKS')];
  return {
    v: 2,
    period: args.period,
    date: previous?.date ?? '',
    inputs: [...dtks, ...programs],
    release,
    rules: await archiveConfig(outDir, args.rules ? resolve(args.rules) : undefined),
    mapping: await archiveConfig(outDir, args.mapping ? resolve(args.mapping) : undefined),
    allowSmallDtks: Boolean(args.allowSmallDtks),
    // A new set of inputs starts without fixes: they named rows of the files they were made for.
    fixes: [],
  };
}

/** The embedded run as `padan run` and `padan dlq redrive` do it: temporary files inside --out, the table, the dead-letter notice. */
export async function runAndReport(
  run: Pick<WorkerRunOptions, 'period' | 'inputs' | 'outDir' | 'date' | 'rules' | 'mapping' | 'allowSmallDtks' | 'fixes' | 'snapshotRunId' | 'dtksRelease' | 'changesFrom' | 'checksums'>,
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
  const summary = JSON.parse(readFileSync(resolve(result.snapshotDir, snapshotFilePath('summary.json')), 'utf8')) as { programs: { program: string; outcomes: Record<string, number> }[] };
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
  if (!args.dtks) throw new UsageError('--mode distributed needs --dtks FILE (releases as of a period are embedded only for now)');
  if (!args.program || args.program.length === 0) throw new UsageError('give --program NAME=FILE');
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
