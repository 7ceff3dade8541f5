import { resolve } from 'node:path';
import { parseSource } from '@padan/contracts';
import type { EmbeddedRunResult } from '@padan/pipeline';
import { jakartaDate } from './jakarta-date.js';
import { runPeriod } from './period-run.js';
import { readRunRecord } from './run-record.js';
import { parseSnapshotDate } from './snapshot-date.js';
import { UsageError } from './usage-error.js';

export interface WithdrawArgs {
  period: string;
  program: string;
  file: string;
  out: string;
  date?: string;
}

/**
 * `padan withdraw`: removes a program file from a period and writes the period's snapshot again
 * without it: its records and results are retracted, not kept beside the others. The archived
 * copy stays (the superseded snapshot in history/ was made from it).
 */
export async function withdrawCommand(
  args: WithdrawArgs,
  log: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  warn: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<EmbeddedRunResult> {
  const outDir = resolve(args.out);
  const source = parseSource(args.program);
  if (source === undefined || source === 'DTKS') throw new UsageError(`--program must be one of PKH, SEMBAKO, BST, PBI (got "${args.program}"); a DTKS release is replaced with padan run --dtks, not withdrawn`);
  const record = readRunRecord(outDir, args.period);
  const target = record.inputs.find((i) => i.source === source && i.file === args.file);
  if (!target) {
    const files = record.inputs.filter((i) => i.source !== 'DTKS').map((i) => `${i.source}/${i.file}`);
    throw new UsageError(`${source}/${args.file} is not an input of period ${args.period} under ${outDir} (inputs: ${files.join(', ')})`);
  }
  const inputs = record.inputs.filter((i) => i !== target);
  if (!inputs.some((i) => i.source !== 'DTKS')) throw new UsageError(`${source}/${args.file} is the only program file of ${args.period}; a period needs one (nothing was changed)`);
  const date = args.date !== undefined ? parseSnapshotDate(args.date) : jakartaDate();
  const result = await runPeriod(outDir, { ...record, inputs, fixes: record.fixes }, { date }, log, warn);
  warn(`padan: withdrew ${source}/${args.file} from ${args.period}; its records are no longer in the snapshot`);
  return result;
}
