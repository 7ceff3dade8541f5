import { basename } from 'node:path';
import { readSource } from '@padan/io';
import { readCsv } from '@padan/synth';
import type { GeneratedFiles } from '@padan/synth';

/** Precision and recall of one reason code, or of all together. */
export interface ReasonScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface AccuracyScore {
  /** The programs scored (DuckDB reads no XLSX, so its score and padan's comparable one leave PKH out). */
  readonly programs: string[];
  readonly perReason: Record<string, ReasonScore>;
  readonly overall: ReasonScore;
}

/** `program|NIK|reason` → how many records carry it (a multiset: a NIK may repeat in a program). */
export type FindingKeys = Map<string, number>;

// DuckDB's rows are its readers' data rows (ragged rows dropped), not the truth's physical lines,
// so the two sides are compared on what both know: the program, the NIK as digits, the reason.
const digitsOnly = (s: string) => s.replace(/\D/g, '');
const key = (program: string, nikRaw: string, reason: string) => `${program}|${digitsOnly(nikRaw)}|${reason}`;

function add(keys: FindingKeys, k: string): void {
  keys.set(k, (keys.get(k) ?? 0) + 1);
}

async function* csvObjects(path: string): AsyncGenerator<Record<string, string>> {
  let header: string[] | null = null;
  for await (const cells of readCsv(path)) {
    if (!header) {
      header = cells;
      continue;
    }
    const o: Record<string, string> = {};
    header.forEach((h, i) => (o[h] = cells[i] ?? ''));
    yield o;
  }
}

/**
 * The generator's truth as (program, NIK, reason) keys. truth.csv names rows, not NIKs: the NIK of
 * each truth row is read back from the input file with padan's readers (which number rows as truth
 * does), as the digits of its raw text.
 */
export async function truthKeys(files: GeneratedFiles, programs: ReadonlySet<string>): Promise<FindingKeys> {
  const wanted = new Map<string, string[]>();
  for await (const t of csvObjects(files.truth)) {
    if (programs.has(t.program as string)) wanted.set(`${t.source_file}#${t.source_row}`, (t.reasons as string).split(';'));
  }
  const keys: FindingKeys = new Map();
  const inputs = [{ source: 'DTKS' as const, path: files.dtks }, ...files.programs.map((p) => ({ source: p.program, path: p.path }))];
  for (const input of inputs) {
    if (!programs.has(input.source)) continue;
    const file = basename(input.path);
    let nikAt = -1;
    for await (const e of readSource(input.path, { source: input.source })) {
      if (e.kind === 'header') nikAt = e.fields.indexOf('nik');
      else if (e.kind === 'row') {
        const reasons = wanted.get(`${file}#${e.row}`);
        if (reasons) for (const r of reasons) add(keys, key(input.source, e.values[nikAt] ?? '', r));
      }
    }
  }
  return keys;
}

/** A findings CSV (padan's findings.csv, or the DuckDB baseline's) as keys: columns program, reasons and `nikColumn`. */
export async function findingKeys(path: string, nikColumn: string, programs: ReadonlySet<string>): Promise<FindingKeys> {
  const keys: FindingKeys = new Map();
  for await (const f of csvObjects(path)) {
    if (!programs.has(f.program as string)) continue;
    for (const r of (f.reasons ?? '').split(';')) if (r) add(keys, key(f.program as string, f[nikColumn] ?? '', r));
  }
  return keys;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : +(a / b).toFixed(4);
}

function counts(tp: number, fp: number, fn: number): ReasonScore {
  return { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

export function score(found: FindingKeys, truth: FindingKeys, programs: ReadonlySet<string>): AccuracyScore {
  const per = new Map<string, { tp: number; fp: number; fn: number }>();
  const at = (k: string) => {
    const reason = k.slice(k.lastIndexOf('|') + 1);
    let c = per.get(reason);
    if (!c) per.set(reason, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  for (const [k, n] of found) {
    const t = truth.get(k) ?? 0;
    const c = at(k);
    c.tp += Math.min(n, t);
    c.fp += Math.max(0, n - t);
  }
  for (const [k, t] of truth) at(k).fn += Math.max(0, t - (found.get(k) ?? 0));
  const perReason: Record<string, ReasonScore> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [reason, c] of [...per].sort((a, b) => a[0].localeCompare(b[0]))) {
    perReason[reason] = counts(c.tp, c.fp, c.fn);
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  return { programs: [...programs].sort(), perReason, overall: counts(tp, fp, fn) };
}
