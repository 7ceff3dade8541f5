#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { PERIOD_PATTERN, parseSource } from '@padan/contracts';
import type { Source } from '@padan/contracts';
import { InputError } from '@padan/io';
import { ConfigFileError, loadMapping, loadRules } from './config-files.js';
import { runEmbedded } from './embedded-pipeline.js';
import type { PipelineInput } from './embedded-pipeline.js';
import { jakartaDate } from './jakarta-date.js';
import { terminalProgress } from './progress.js';
import { formatStatusTable } from './summary-table.js';
import { registerSynthCommands } from './synth-commands.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function period(value: string): string {
  if (!PERIOD_PATTERN.test(value)) throw new InvalidArgumentError('expected YYYY-MM, e.g. 2021-09');
  return value;
}

function programArg(value: string, previous: PipelineInput[] = []): PipelineInput[] {
  const eq = value.indexOf('=');
  const source = eq > 0 ? parseSource(value.slice(0, eq)) : undefined;
  if (!source || source === 'DTKS') throw new InvalidArgumentError(`expected NAME=FILE with NAME one of PKH, SEMBAKO, BST, PBI (got "${value}")`);
  return [...previous, { source: source as Source, path: resolve(value.slice(eq + 1)) }];
}

/** The dashboard hash key; the embedded default is only for trying padan on sample data. */
export function hashKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.PADAN_HASH_KEY;
  if (key) return key;
  process.stderr.write('padan: PADAN_HASH_KEY is not set; mismatch events use a development key. Set a secret key for real data.\n');
  return 'padan-development-key-not-secret';
}

export interface RunArgs {
  period: string;
  dtks: string;
  program: PipelineInput[];
  out: string;
  rules?: string;
  mapping?: string;
  date?: string;
}

export async function runCommand(args: RunArgs, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)) {
  const progress = terminalProgress();
  const result = await runEmbedded({
    period: args.period,
    inputs: [{ source: 'DTKS', path: resolve(args.dtks) }, ...args.program],
    outDir: resolve(args.out),
    date: args.date ?? jakartaDate(),
    rules: loadRules(args.rules),
    mapping: loadMapping(args.mapping),
    hashKey: hashKeyFromEnv(),
    padanVersion: VERSION,
    onProgress: (f, n) => progress.update(f, n),
  });
  progress.done();
  const summary = JSON.parse(readFileSync(resolve(result.snapshotDir, 'summary.json'), 'utf8')) as { programs: { program: string; outcomes: Record<string, number> }[] };
  const outcomes = new Map(summary.programs.map((p) => [p.program, p.outcomes]));
  log(formatStatusTable(result.status, outcomes));
  log('');
  log(`snapshot: ${result.snapshotDir}`);
  return result;
}

function main(argv: string[]): void {
  const program = new Command('padan')
    .description('Reconciles social-assistance recipient lists against DTKS by NIK')
    .version(VERSION)
    .showHelpAfterError();

  program
    .command('run')
    .description('run the whole pipeline in one process (embedded) and write a snapshot')
    .requiredOption('--period <YYYY-MM>', 'the period the files belong to', period)
    .requiredOption('--dtks <file>', 'the DTKS release of the period (.csv, .xlsx or .jsonl)')
    .requiredOption('--program <NAME=FILE>', 'a program file, NAME one of PKH, SEMBAKO, BST, PBI; repeatable', programArg)
    .requiredOption('--out <dir>', 'where snapshots are written (the embedded object store)')
    .option('--rules <file>', 'program exclusivity rules (JSON); default: the shipped rules')
    .option('--mapping <file>', 'column mapping (JSON): {"PKH": {"nik": "COLUMN NAME"}}')
    .option('--date <YYYY-MM-DD>', 'snapshot date; default: today in Asia/Jakarta')
    .action(async (opts: RunArgs) => {
      await runCommand(opts);
    });

  registerSynthCommands(program, { runCommand });

  program.parseAsync(argv).catch((e: unknown) => {
    if (e instanceof InputError || e instanceof ConfigFileError) {
      process.stderr.write(`padan: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`padan: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}

main(process.argv);
