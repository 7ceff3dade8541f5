import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { orderReasons } from '@padan/core';
import { checkOptions, generateMonth } from './generate.js';
import type { FollowOnChain, GeneratedFiles, MonthState, RecordedRecord } from './generate.js';
import type { Program } from './layout.js';
import type { Reason } from './truth.js';

export interface FollowOnOptions {
  /** Folder of a generated month (`generate`, or an earlier follow-on). */
  from: string;
  /** Where the next month goes; must differ from `from`. */
  outDir: string;
}

export interface FollowOnFiles extends GeneratedFiles {
  /** truth-changes.csv: the category of every program record key of either month. */
  changes: string;
}

/** The earlier month cannot be followed on (a wrong folder, or files this generator did not write). */
export class FollowOnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FollowOnError';
  }
}

export const CHANGE_TRUTH_HEADER = ['program', 'nik', 'name_key', 'category', 'reasons_before', 'reasons_after'] as const;

/** The period after `period` (YYYY-MM). */
export function nextPeriod(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

interface TruthCounts {
  period: string;
  seed: number;
  households: number;
  formats: 'mixed' | 'csv';
  follow_on?: FollowOnChain;
}

/**
 * Writes the month after the one in `from`, for the same population. The earlier month is made
 * again in memory from its options (the generator is deterministic; its truth.csv must come out
 * byte-identical to the one in `from`, else the folder is refused), then carried over record by
 * record (see `ProgramGenerator.runFollowOn`). Besides the usual truth of the new month it writes
 * truth-changes.csv: for every program record key flagged in either month, its category.
 */
export async function generateFollowOn(opts: FollowOnOptions): Promise<FollowOnFiles> {
  const from = resolve(opts.from);
  const outDir = resolve(opts.outDir);
  if (from === outDir) throw new FollowOnError(`--out must be another folder than --follow-on ${from}: the next month has its own truth files`);
  let counts: TruthCounts;
  try {
    counts = JSON.parse(await readFile(join(from, 'truth-counts.json'), 'utf8')) as TruthCounts;
  } catch (e) {
    throw new FollowOnError(`${from} is not a generated month (truth-counts.json is ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'}); give the folder padan generate wrote`);
  }
  const chain = counts.follow_on ?? { base_period: counts.period, months: 0 };
  const base = checkOptions({ households: counts.households, seed: counts.seed, period: chain.base_period, formats: counts.formats });
  const scratch = join(outDir, '.earlier-months');
  let earlier: MonthState;
  try {
    earlier = await generateMonth(base, join(scratch, base.period), null, true);
    for (let i = 0; i < chain.months; i++) {
      const params = { ...base, period: nextPeriod(earlier.params.period) };
      earlier = await generateMonth(params, join(scratch, params.period), earlier, true);
    }
    const again = await readFile(earlier.files.truth);
    const given = await readFile(join(from, 'truth.csv')).catch(() => null);
    if (given === null || !again.equals(given)) {
      throw new FollowOnError(`${from} does not hold the month its truth-counts.json describes (seed ${base.seed}, ${base.households} households, period ${counts.period}): its truth.csv differs from the one generated again; generate that month again with this version of padan`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const next = await generateMonth({ ...base, period: nextPeriod(counts.period) }, outDir, earlier, true);
  const changes = join(outDir, 'truth-changes.csv');
  await writeFile(changes, changeTruthCsv(earlier.records, next.records));
  return { ...next.files, changes };
}

interface KeyTruth {
  reasons: Reason[];
}

/** Per key (program + identity): the union of its records' reasons; listed keys with no reason have an empty list. */
function byKey(records: Record<Program, RecordedRecord[]>): Map<string, KeyTruth> {
  const out = new Map<string, KeyTruth>();
  for (const program of Object.keys(records).sort() as Program[]) {
    for (const rec of records[program]) {
      const key = `${program}\u0001${rec.identity}`;
      const seen = out.get(key);
      if (seen === undefined) out.set(key, { reasons: [...rec.reasons] });
      else seen.reasons = orderReasons([...seen.reasons, ...rec.reasons]);
    }
  }
  return out;
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * The comparison's truth, from what was written in each month: a key flagged before is `fixed` when
 * the later month lists it clean, `removed` when it does not list it, `persisting` or `changed` when
 * flagged again with the same or other reasons; a key flagged only later is `new`. A key is a
 * program and the record's identity (the cleaned NIK, or the NIK as cleaned so far and the name key
 * when the NIK is invalid); repeated records of one key count as one, with the union of their reasons.
 */
export function changeTruthCsv(before: Record<Program, RecordedRecord[]>, after: Record<Program, RecordedRecord[]>): string {
  const b = byKey(before);
  const a = byKey(after);
  const rows: string[][] = [];
  const keys = new Set([...b.keys(), ...a.keys()]);
  for (const key of keys) {
    const was = b.get(key);
    const now = a.get(key);
    const flaggedBefore = was !== undefined && was.reasons.length > 0;
    const flaggedAfter = now !== undefined && now.reasons.length > 0;
    let category: string;
    if (flaggedBefore && flaggedAfter) category = was.reasons.join(';') === now.reasons.join(';') ? 'persisting' : 'changed';
    else if (flaggedBefore) category = now !== undefined ? 'fixed' : 'removed';
    else if (flaggedAfter) category = 'new';
    else continue;
    const [program, identity] = key.split('\u0001') as [string, string];
    const [nik, nameKey] = identity.split('\u0000') as [string, string | undefined];
    rows.push([program, nik, nameKey ?? '', category, flaggedBefore ? was.reasons.join(';') : '', flaggedAfter ? now.reasons.join(';') : '']);
  }
  rows.sort((x, y) => {
    for (let i = 0; i < x.length; i++) {
      const p = x[i] as string;
      const q = y[i] as string;
      if (p !== q) return p < q ? -1 : 1;
    }
    return 0;
  });
  return [CHANGE_TRUTH_HEADER.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}
