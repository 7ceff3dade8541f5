import { basename } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { checkFileNamePeriod, checkNotInDtksShare, checkSourceShape, DEFAULT_NOT_IN_DTKS_LIMITS, previousPeriod } from '@padan/core';
import type { ColumnMapping, GuardrailWarning, NotInDtksCount } from '@padan/core';
import type { Source } from '@padan/contracts';
import { InputError, readerLimitsFromEnv, readSource } from '@padan/io';
import type { PipelineInput } from '@padan/pipeline';
import { currentSummary, summaryOf } from './snapshot-summary.js';
import type { SummaryCounts } from './snapshot-summary.js';
import { openTempArea } from './temp-area.js';

/**
 * The guardrails of `padan run` and `padan ingest`: checks a careful engineer runs before trusting
 * a reconciliation (see the checks in @padan/core). Each finding is a warning on stderr; with
 * `--strict` any finding is an error (exit 2), the way a failing dbt or Soda check stops a pipeline.
 */
export interface GuardrailOptions {
  /** Turn every guardrail warning into an error. */
  strict?: boolean;
  /** The highest share of a program's records NOT_IN_DTKS before a warning (0 to 1). */
  maxNotInDtksShare?: number;
}

/** A guardrail that failed under `--strict`: the user's to check, exit 2. */
export class GuardrailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardrailError';
  }
}

/** `--max-not-in-dtks-share`: a share between 0 and 1. */
export function parseShare(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`expected a share between 0 and 1, e.g. 0.5 (got "${value}")`);
  return n;
}

function line(w: GuardrailWarning): string {
  return `${w.file ?? w.source}${w.file ? ` (${w.source})` : ''}: ${w.message} [check ${w.check}]`;
}

/** Prints the warnings, or under `--strict` throws them as one error; `outcome` says what happened to the run. */
function report(warnings: readonly GuardrailWarning[], strict: boolean, outcome: string, warn: (s: string) => void): void {
  if (warnings.length === 0) return;
  if (strict) {
    const n = warnings.length === 1 ? 'a guardrail check' : `${warnings.length} guardrail checks`;
    throw new GuardrailError(`${n} failed under --strict; ${outcome}:\n${warnings.map((w) => `  ${line(w)}`).join('\n')}`);
  }
  for (const w of warnings) warn(`padan: warning: ${line(w)}`);
  warn('padan: (--strict makes guardrail warnings errors)');
}

/**
 * The header of a file as written, read as the run will read it (title rows skipped), and nothing
 * more; null when the file cannot be read that far. That is not a guardrail's to report: the run
 * (or the ingest service, after `padan ingest`) stops on it with its own rule, as it always did.
 */
async function headerNames(input: PipelineInput, mapping: ColumnMapping | undefined, tempDir: string | undefined): Promise<readonly string[] | null> {
  try {
    for await (const e of readSource(input.path, { source: input.source, limits: readerLimitsFromEnv(process.env), ...(tempDir ? { tempDir } : {}), ...(mapping ? { mapping } : {}) })) {
      if (e.kind === 'header') return e.names;
    }
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
  return null;
}

/**
 * Before anything is read in full or uploaded: each file's name against `--period`, and each
 * header against the file's role (DTKS or program). Reads only up to each file's header.
 * `workDir`: where an XLSX reader may spill (inside `--out`, as the run's own temporary files).
 */
export async function guardInputs(
  period: string,
  inputs: readonly PipelineInput[],
  options: GuardrailOptions & { mapping?: Partial<Record<Source, ColumnMapping>>; workDir?: string },
  warn: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<void> {
  const warnings: GuardrailWarning[] = [];
  // An XLSX reader may spill shared strings (names) to disk: inside --out, removed even on a signal.
  const temp = options.workDir === undefined ? undefined : openTempArea(options.workDir);
  const tempDir = temp?.dir;
  try {
    for (const input of inputs) {
      const file = basename(input.path);
      const named = checkFileNamePeriod(input.source, file, period);
      if (named) warnings.push(named);
      const names = await headerNames(input, options.mapping?.[input.source], tempDir);
      const shape = names && checkSourceShape(input.source, file, names, options.mapping?.DTKS);
      if (shape) warnings.push(shape);
    }
  } finally {
    temp?.dispose();
  }
  report(warnings, Boolean(options.strict), 'nothing was reconciled or uploaded', warn);
}

function notInDtksCounts(summary: SummaryCounts): NotInDtksCount[] {
  return summary.programs.map((p) => ({
    program: p.program,
    files: summary.files.filter((f) => f.program === p.program).map((f) => f.source_file),
    records: p.clean + p.flagged,
    notInDtks: p.outcomes.NOT_IN_DTKS ?? 0,
  }));
}

/**
 * After the run: each program's NOT_IN_DTKS share against `--max-not-in-dtks-share` and against
 * the previous period's current snapshot under `--out`. It needs the matching, so it comes after the
 * snapshot is written; under `--strict` the snapshot stays (it is complete and is the evidence to
 * look into) and exit 2 tells a scheduler not to publish it.
 */
export async function guardResult(
  period: string,
  outDir: string,
  snapshotDir: string,
  options: GuardrailOptions,
  warn: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<void> {
  const before = previousPeriod(period);
  const previous = await currentSummary(outDir, before);
  const warnings = checkNotInDtksShare(
    notInDtksCounts(summaryOf(snapshotDir)),
    previous ? { period: before, counts: notInDtksCounts(previous) } : null,
    { ...DEFAULT_NOT_IN_DTKS_LIMITS, ...(options.maxNotInDtksShare === undefined ? {} : { maxShare: options.maxNotInDtksShare }) },
    '--max-not-in-dtks-share',
  );
  report(warnings, Boolean(options.strict), `the snapshot was written (${snapshotDir}); check it before publishing it`, warn);
}
