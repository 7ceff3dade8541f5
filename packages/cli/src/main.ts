#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { PERIOD_PATTERN, parseSource } from '@padan/contracts';
import type { Source } from '@padan/contracts';
import { InputError } from '@padan/io';
import { ConfigFileError } from './config-files.js';
import type { PipelineInput } from './embedded-pipeline.js';
import { runCommand, VERSION } from './run-command.js';
import type { RunArgs } from './run-command.js';
import { registerSynthCommands } from './synth-commands.js';


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
    .option('--stats', 'print rows, wall time, rows/s and peak RSS after the run')
    .action(async (opts: RunArgs) => {
      await runCommand(opts);
    });

  registerSynthCommands(program);

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
