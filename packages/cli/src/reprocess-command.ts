import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseSource } from '@padan/contracts';
import type { Source } from '@padan/contracts';
import { archiveConfig } from './input-archive.js';
import { jakartaDate } from './jakarta-date.js';
import { runPeriod } from './period-run.js';
import { readRunRecord } from './run-record.js';
import { parseSnapshotDate } from './snapshot-date.js';
import { UsageError } from './usage-error.js';

export interface ReprocessArgs {
  period: string;
  to?: string;
  program?: string;
  rules?: string;
  date?: string;
  out: string;
}

/** An unfinished reprocess under `--out`: what it replays, and the periods done so far. */
interface ReprocessState {
  readonly v: 1;
  readonly id: string;
  /** The arguments that define it; the same arguments continue it. */
  readonly request: { readonly periods: readonly string[]; readonly rules: string | null; readonly date: string; readonly program: Source | null };
  readonly done: readonly string[];
}

/** Periods with an embedded run under `--out` (runs/period=P.json), sorted. */
export function recordedPeriods(outDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(outDir, 'runs'));
  } catch {
    return [];
  }
  return names
    .map((n) => /^period=(\d{4}-\d{2})\.json$/.exec(n)?.[1])
    .filter((p): p is string => p !== undefined)
    .sort();
}

function statePath(outDir: string): string {
  return join(outDir, 'runs', 'reprocess.json');
}

function readState(outDir: string): ReprocessState | null {
  try {
    return JSON.parse(readFileSync(statePath(outDir), 'utf8')) as ReprocessState;
  } catch {
    return null;
  }
}

function writeState(outDir: string, state: ReprocessState): void {
  mkdirSync(join(outDir, 'runs'), { recursive: true });
  writeFileSync(`${statePath(outDir)}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${statePath(outDir)}.tmp`, statePath(outDir));
}

function sameRequest(a: ReprocessState['request'], b: ReprocessState['request']): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `padan reprocess`: replays each period of the range from its archived inputs (`--out/raw/`),
 * with its own DTKS release and rules (or `--rules`), under a run id of its own. Each period's new
 * snapshot supersedes the current one only once it is complete (the current one moves under
 * `history/`). Interrupted, the same command continues with the periods not done; the same
 * inputs, rules and date give the same files (the manifest differs only in run id, creation time
 * and what it supersedes).
 */
export async function reprocessCommand(
  args: ReprocessArgs,
  log: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  warn: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
  progress: (event: Record<string, unknown>, line: string) => void = defaultProgress,
): Promise<{ id: string; periods: string[] }> {
  const outDir = resolve(args.out);
  const to = args.to ?? args.period;
  if (to < args.period) throw new UsageError(`--to ${to} is before --period ${args.period}`);
  const program = args.program === undefined ? null : parseSource(args.program);
  if (program === undefined || program === 'DTKS') throw new UsageError(`--program must be one of PKH, SEMBAKO, BST, PBI (got "${args.program}")`);
  const inRange = recordedPeriods(outDir).filter((p) => p >= args.period && p <= to);
  const periods = inRange.filter((p) => program === null || readRunRecord(outDir, p).inputs.some((i) => i.source === program));
  if (periods.length === 0) {
    const known = recordedPeriods(outDir);
    throw new UsageError(`no period to reprocess between ${args.period} and ${to}${program ? ` with a ${program} file` : ''} under ${outDir} (periods run there: ${known.join(', ') || 'none'}); run padan run --out ${outDir} first`);
  }
  const rules = await archiveConfig(outDir, args.rules ? resolve(args.rules) : undefined);
  const previous = readState(outDir);
  // The date is part of what a reprocess is: a continued one keeps the date it started with.
  const date = args.date !== undefined ? parseSnapshotDate(args.date) : previous && previous.request.periods.join() === periods.join() && previous.request.rules === rules && previous.request.program === program ? previous.request.date : jakartaDate();
  const request = { periods, rules, date, program };
  let state: ReprocessState;
  if (previous && sameRequest(previous.request, request)) {
    state = previous;
    warn(`padan: continuing reprocess ${state.id}: ${state.done.length} of ${periods.length} period${periods.length === 1 ? '' : 's'} done`);
  } else {
    if (previous) warn(`padan: an unfinished reprocess (${previous.id}, periods ${previous.request.periods.join(', ')}) is replaced by this one`);
    state = { v: 1, id: `reprocess-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`, request, done: [] };
    writeState(outDir, state);
  }

  const todo = periods.filter((p) => !state.done.includes(p));
  const bytesOf = (p: string) => readRunRecord(outDir, p).inputs.reduce((n, i) => n + i.bytes, 0);
  let bytesLeft = todo.reduce((n, p) => n + bytesOf(p), 0);
  const started = Date.now();
  let bytesDone = 0;
  let rowsDone = 0;
  for (const p of todo) {
    const index = periods.indexOf(p) + 1;
    progress({ event: 'reprocess.period.started', reprocess: state.id, period: p, index, of: periods.length }, `reprocess ${state.id}: period ${p} (${index} of ${periods.length})`);
    const t0 = Date.now();
    const record = readRunRecord(outDir, p);
    const result = await runPeriod(outDir, record, { date, snapshotRunId: state.id, ...(rules !== null ? { rules } : {}) }, log, warn);
    const rows = result.status.files.reduce((n, f) => n + (f.rowsRead ?? 0), 0);
    const bytes = bytesOf(p);
    bytesDone += bytes;
    bytesLeft -= bytes;
    rowsDone += rows;
    state = { ...state, done: [...state.done, p] };
    writeState(outDir, state);
    const elapsed = (Date.now() - started) / 1000;
    const rate = rowsDone / Math.max(elapsed, 0.001);
    const eta = bytesDone > 0 ? Math.round((elapsed * bytesLeft) / bytesDone) : null;
    progress(
      { event: 'reprocess.period.done', reprocess: state.id, period: p, index, of: periods.length, rows, seconds: (Date.now() - t0) / 1000, rows_per_second: Math.round(rate), eta_seconds: eta },
      `reprocess ${state.id}: period ${p} done, ${rows.toLocaleString('en')} records (${Math.round(rate).toLocaleString('en')}/s overall)${eta !== null && bytesLeft > 0 ? `, about ${eta} s left` : ''}`,
    );
  }
  rmSync(statePath(outDir), { force: true });
  log(`reprocessed ${periods.join(', ')} as ${state.id}`);
  return { id: state.id, periods };
}

/** A line on a terminal; a JSON line otherwise (logs, CI), so progress can be parsed. */
function defaultProgress(event: Record<string, unknown>, line: string): void {
  process.stderr.write(process.stderr.isTTY ? `${line}\n` : `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
}
