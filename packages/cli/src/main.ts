#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { PERIOD_PATTERN, parseSource } from '@padan/contracts';
import type { Source } from '@padan/contracts';
import { InputError } from '@padan/io';
import { ConfigFileError } from './config-files.js';
import type { PipelineInput } from '@padan/pipeline';
import { runCommand, VERSION } from './run-command.js';
import type { RunArgs } from './run-command.js';
import { registerSynthCommands } from './synth-commands.js';
import { distributedRunCommand } from './run-command.js';
import { SnapshotError } from './snapshot-folder.js';
import { parseSnapshotDate } from './snapshot-date.js';
import { dlqInspectCommand, dlqRedriveCommand } from './dlq-commands.js';
import type { DlqInspectArgs, DlqRedriveArgs } from './dlq-commands.js';
import { FIXES_FORMAT_HELP } from './fixes-file.js';
import { UsageError } from './usage-error.js';
import type { ReprocessArgs } from './reprocess-command.js';
import type { WithdrawArgs } from './withdraw-command.js';
import { diffCommand } from './diff-command.js';
import type { DiffArgs } from './diff-command.js';
import { GuardrailError, guardInputs, parseShare } from './guardrails.js';
import { loadMapping } from './config-files.js';

/** Errors that are the user's to fix (arguments, input files, config files, snapshots): exit 2, one message. */
function isUserError(e: unknown): e is Error {
  return e instanceof InputError || e instanceof ConfigFileError || e instanceof UsageError || e instanceof GuardrailError || e instanceof SnapshotError || e instanceof InvalidArgumentError;
}

/** Options of the embedded run that the distributed run does not take (the services read their own configuration). */
function checkDistributedOptions(opts: RunArgs): void {
  if (opts.rules) throw new UsageError('--rules applies to the embedded run; with --mode distributed the services read PADAN_RULES_FILE');
  if (opts.mapping) throw new UsageError('--mapping applies to the embedded run; with --mode distributed the services read PADAN_MAPPING_FILE');
  if (opts.stats) throw new UsageError('--stats applies to the embedded run only');
  if (opts.release) throw new UsageError('--release applies to the embedded run for now; with --mode distributed give --dtks for the period');
}


function period(value: string): string {
  if (!PERIOD_PATTERN.test(value)) throw new InvalidArgumentError('expected YYYY-MM, e.g. 2021-09');
  return value;
}

function programArg(value: string, previous: PipelineInput[] = []): PipelineInput[] {
  const eq = value.indexOf('=');
  const source = eq > 0 ? parseSource(value.slice(0, eq)) : undefined;
  if (!source || source === 'DTKS') throw new InvalidArgumentError(`expected NAME=FILE with NAME one of PKH, SEMBAKO, BST, PBI (got "${value}")`);
  if (value.slice(eq + 1).trim() === '') throw new InvalidArgumentError(`no file after ${value}; write NAME=FILE`);
  return [...previous, { source: source as Source, path: resolve(value.slice(eq + 1)) }];
}

/** The distributed commands load the Kafka and S3 clients, which the embedded commands never need: load them on use. */
const distributed = () => import('./distributed.js');

/** A single-valued option given twice would silently keep the last value: refuse it. */
function once(name: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError(`${name} is given twice; a run takes one`);
    return value;
  };
}

function main(argv: string[]): void {
  // `padan status | head`: the reader closed the pipe and wants no more. Stop quietly, as Unix tools
  // do, instead of an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const program = new Command('padan')
    .description('Reconciles social-assistance recipient lists against DTKS by NIK')
    .version(VERSION)
    // One message and exit 2 on a usage error (commander's default is the whole help and exit 1).
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');

  program
    .command('run')
    .description('run the whole pipeline in one process (embedded) and write a snapshot')
    .requiredOption('--period <YYYY-MM>', 'the period the files belong to', period)
    .option('--dtks <file>', 'the DTKS release of the period (.csv, .xlsx or .jsonl); default: the release the period used before, else the release in force for it under --out', once('--dtks'))
    .option('--release <id>', 'an id for the release --dtks loads, in force from --period on (default: the period)', once('--release'))
    .option('--program <NAME=FILE>', 'a program file, NAME one of PKH, SEMBAKO, BST, PBI; repeatable; replaces that program\'s files of an earlier run of the period, whose other files are kept', programArg)
    .requiredOption('--out <dir>', 'where snapshots are written (the embedded object store)', once('--out'))
    .option('--rules <file>', 'program exclusivity rules (JSON); default: the shipped rules')
    .option('--mapping <file>', 'column mapping (JSON): {"PKH": {"nik": "COLUMN NAME"}}')
    .option('--date <YYYY-MM-DD>', 'snapshot date; default: today in Asia/Jakarta')
    .option('--stats', 'print rows, wall time, rows/s and peak RSS after the run')
    .option('--allow-small-dtks', 'accept a DTKS release with no rows or fewer rows than 1 % of the program rows (refused by default: rule DTKS_TOO_SMALL)')
    .option('--strict', 'make every guardrail warning an error (exit 2): a file name with another period, a DTKS file that looks like a program list or the reverse (checked before reading), a NOT_IN_DTKS share above the limit or far above last month (checked after the run; the snapshot is kept)')
    .option('--max-not-in-dtks-share <share>', 'warn when more than this share of a program\'s records is NOT_IN_DTKS (0 to 1; default 0.5)', parseShare)
    .option('--mode <embedded|distributed>', 'embedded: one process; distributed: the four services on Kafka, Redis and S3', 'embedded')
    .action(async (opts: RunArgs & { mode: string }) => {
      if (opts.mode === 'distributed') {
        checkDistributedOptions(opts);
        await distributedRunCommand(opts);
      } else if (opts.mode === 'embedded') await runCommand(opts);
      else throw new UsageError(`--mode must be embedded or distributed (got "${opts.mode}")`);
    });

  const topics = program.command('topics').description('the Kafka topic catalog (infra/topics.json)');
  topics
    .command('apply')
    .description('create or update the topics of infra/topics.json on KAFKA_BROKERS; idempotent')
    .action(async () => {
      const r = await (await distributed()).topicsApply();
      process.stdout.write(`created: ${r.created.join(', ') || '-'}\nupdated: ${r.updated.map((u) => u.topic).join(', ') || '-'}\nunchanged: ${r.unchanged.length}\n`);
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
    });

  program
    .command('ingest')
    .description('upload a period\'s files to the landing prefix of S3, where the ingest service picks them up')
    .requiredOption('--period <YYYY-MM>', 'the period the files belong to', period)
    .option('--dtks <file>', 'the DTKS release of the period')
    .option('--program <NAME=FILE>', 'a program file; repeatable', programArg)
    .option('--strict', 'make every guardrail warning an error (exit 2) before anything is uploaded: a file name with another period, a DTKS file that looks like a program list or the reverse')
    .action(async (opts: { period: string; dtks?: string; program?: PipelineInput[]; strict?: boolean }) => {
      const inputs = [...(opts.dtks ? [{ source: 'DTKS' as const, path: resolve(opts.dtks) }] : []), ...(opts.program ?? [])];
      if (inputs.length === 0) throw new UsageError('give --dtks and/or --program');
      // Read as the ingest service will, with PADAN_MAPPING_FILE.
      await guardInputs(opts.period, inputs, { ...opts, mapping: loadMapping(process.env.PADAN_MAPPING_FILE) });
      for (const key of await (await distributed()).uploadToLanding(opts.period, inputs)) process.stdout.write(`uploaded ${key}\n`);
    });

  program
    .command('snapshot')
    .description('ask the report service for a snapshot of a period')
    .requiredOption('--period <YYYY-MM>', 'the period', period)
    .option('--wait', 'wait until the snapshot is written and print its objects')
    .option('--out <dir>', 'with --wait: also download the snapshot into this folder')
    .option('--date <YYYY-MM-DD>', 'snapshot date; default: today in Asia/Jakarta')
    .action(async (opts: { period: string; wait?: boolean; out?: string; date?: string }) => {
      const { requestSnapshot, downloadSnapshot } = await distributed();
      const a = await requestSnapshot({ period: opts.period, wait: Boolean(opts.wait || opts.out), ...(opts.date ? { date: parseSnapshotDate(opts.date) } : {}) });
      if (!a) return void process.stdout.write('snapshot requested\n');
      for (const o of a.objects) process.stdout.write(`${o.key}  ${o.sha256}\n`);
      if (opts.out) process.stdout.write(`downloaded: ${await downloadSnapshot(a, resolve(opts.out))}\n`);
    });

  const periodCmd = program.command('period').description("a period's state in match's Redis (distributed)");
  periodCmd
    .command('close')
    .description("drop a period's evidence from match's Redis once its snapshots are final (REDIS_URL or REDIS_CLUSTER_NODES); a later record of the period reopens it from the raw archive")
    .requiredOption('--period <YYYY-MM>', 'the period', period)
    .action(async (opts: { period: string }) => {
      const { periodCloseCommand } = await import('./period-commands.js');
      await periodCloseCommand(opts);
    });

  const dlq = program.command('dlq').description('dead letters: rows that could not be read');
  dlq
    .command('inspect')
    .description('list dead letters (period, program, file, row, reason, text with NIKs and dates masked)')
    .option('--period <YYYY-MM>', 'only this period (default: every period)', period)
    .option('--out <dir>', 'the --out of an embedded run: reads rejected.jsonl of the latest snapshot of each period')
    .option('--topic', 'read padan.rejected.v1 on KAFKA_BROKERS from the beginning to its current end (distributed)')
    .action(async (opts: DlqInspectArgs) => {
      await dlqInspectCommand(opts);
    });
  dlq
    .command('redrive')
    .description('replay corrected rows in place of their dead letters and rewrite the snapshot (embedded runs)')
    .requiredOption('--period <YYYY-MM>', 'the period of the run', period)
    .requiredOption('--out <dir>', 'the --out of the embedded run')
    .requiredOption('--fixes <file>', 'the corrected rows (see below)')
    .addHelpText('after', `\n${FIXES_FORMAT_HELP}`)
    .action(async (opts: DlqRedriveArgs) => {
      await dlqRedriveCommand(opts);
    });

  program
    .command('reprocess')
    .description('replay periods from the archive under --out (their own DTKS release and rules, or --rules) and supersede their snapshots; interrupted, the same command continues')
    .requiredOption('--period <YYYY-MM>', 'the first period', period)
    .option('--to <YYYY-MM>', 'the last period (default: --period)', period)
    .option('--program <NAME>', 'only periods with a file of this program')
    .option('--rules <file>', 'program exclusivity rules to use instead of each period\'s own')
    .option('--date <YYYY-MM-DD>', 'snapshot date; default: today in Asia/Jakarta')
    .requiredOption('--out <dir>', 'the --out of the embedded runs')
    .action(async (opts: ReprocessArgs) => {
      const { reprocessCommand } = await import('./reprocess-command.js');
      await reprocessCommand(opts);
    });
  program
    .command('withdraw')
    .description('remove a program file from a period under --out and write its snapshot again without it')
    .requiredOption('--period <YYYY-MM>', 'the period', period)
    .requiredOption('--program <NAME>', 'PKH, SEMBAKO, BST or PBI')
    .requiredOption('--file <name>', 'the file name, as in the findings\' source_file')
    .option('--date <YYYY-MM-DD>', 'snapshot date; default: today in Asia/Jakarta')
    .requiredOption('--out <dir>', 'the --out of the embedded runs')
    .action(async (opts: WithdrawArgs) => {
      const { withdrawCommand } = await import('./withdraw-command.js');
      await withdrawCommand(opts);
    });
  program
    .command('status')
    .description('per period under --out: its files with checksums, rows accounted for, the current snapshot, its DTKS release and rules')
    .option('--period <YYYY-MM>', 'only this period', period)
    .requiredOption('--out <dir>', 'the --out of the embedded runs')
    .action(async (opts: { out: string; period?: string }) => {
      const { statusCommand } = await import('./status-command.js');
      await statusCommand(opts);
    });
  program
    .command('releases')
    .description('the DTKS releases loaded under --out: id, first period, rows, files and checksums')
    .requiredOption('--out <dir>', 'the --out of the embedded runs')
    .action(async (opts: { out: string }) => {
      const { releasesCommand } = await import('./releases-command.js');
      releasesCommand(opts);
    });
  program
    .command('diff')
    .description('compare two periods run into one --out: which findings were fixed, removed, are new, persist or changed; writes changes.csv and changes.parquet (no NIK, no name)')
    .requiredOption('--period <YYYY-MM>', 'the earlier period, then (given again) the later one', (v: string, prev: string[] = []) => [...prev, period(v)])
    .requiredOption('--out <dir>', 'the --out both periods were run into')
    .option('--csv <file>', 'also write changes.csv to this file')
    .option('--to <dir>', 'folder for changes.csv and changes.parquet (default: <out>/changes/period=<later>/)')
    .action(async (opts: DiffArgs) => {
      await diffCommand(opts);
    });

  program
    .command('retention')
    .description('retention of personal data (infra/retention/README.md)')
    .command('apply')
    .description('delete what is past retention (PADAN_RETENTION_RAW_MONTHS, _SNAPSHOT_MONTHS, _HISTORY_MONTHS) under --out, else in S3 (S3_* variables); prints per prefix what was deleted')
    .option('--out <dir>', 'the --out of the embedded runs (default: the S3 bucket of the S3_* variables)', once('--out'))
    .option('--dry-run', 'print what would be deleted, delete nothing')
    .option('--now <YYYY-MM-DD>', 'the day retention is measured on (default: today, UTC)', once('--now'))
    .action(async (opts: { out?: string; dryRun?: boolean; now?: string }) => {
      const { retentionApplyCommand } = await import('./retention-command.js');
      await retentionApplyCommand(opts);
    });

  registerSynthCommands(program);

  program.parseAsync(argv).catch((e: unknown) => {
    if (isUserError(e)) {
      process.stderr.write(`padan: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    if (e instanceof CommanderError) {
      // Thrown by exitOverride after commander printed its message; help and version are not errors.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    // Operators get the message; the stack only on request (it names no data, but it is noise).
    const err = e as Error;
    process.stderr.write(`padan: ${process.env.PADAN_DEBUG ? (err.stack ?? String(e)) : (err.message ?? String(e))}\n`);
    process.exitCode = 1;
  });
}

main(process.argv);
