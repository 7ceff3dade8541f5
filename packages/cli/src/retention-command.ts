import { readdir, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { loadRetentionConfig, planRetention } from '@padan/pipeline';
import type { PrefixTally, RetentionPlan } from '@padan/pipeline';
import { FolderObjectStore } from '@padan/runtime';
import type { ObjectStore } from '@padan/runtime';
import { parseSnapshotDate } from './snapshot-date.js';
import { UsageError } from './usage-error.js';

export interface RetentionApplyArgs {
  readonly out?: string;
  readonly dryRun?: boolean;
  readonly now?: string;
}

/** S3 DeleteObjects takes at most 1000 keys; the folder store takes any number, the same batches keep the order visible. */
const DELETE_BATCH = 1000;
const RUN_RECORD = /^runs\/period=([^/]+)\.json$/;

/**
 * The periods each embedded fixes copy was applied to, from the run records (`runs/period=P.json`
 * names its fixes' `stored` copies): a fixes key carries no period. S3 has no run records.
 */
async function fixesPeriods(store: ObjectStore, keys: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const key of keys) {
    const m = RUN_RECORD.exec(key);
    if (!m) continue;
    let record: { fixes?: { stored?: string }[] };
    try {
      record = JSON.parse((await store.get(key)).toString('utf8')) as typeof record;
    } catch (e) {
      throw new UsageError(`cannot read the run record ${store.describe(key)} (${(e as Error).message}); fix or remove it, then run retention again`);
    }
    for (const f of record.fixes ?? []) {
      if (typeof f.stored !== 'string') continue;
      const stored = f.stored.split('\\').join('/');
      out.set(stored, [...(out.get(stored) ?? []), m[1] as string]);
    }
  }
  return out;
}

/** Removes the folders left empty under `root` by deleted keys (deepest first), so no empty `date=` folder reads as a snapshot. */
async function pruneEmptyFolders(root: string, keys: readonly string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const key of keys) {
    for (let d = dirname(join(root, ...key.split('/'))); d.length > root.length && d.startsWith(root); d = dirname(d)) dirs.add(d);
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      if ((await readdir(d)).length === 0) await rmdir(d);
    } catch {
      // already gone, or not empty by now: nothing to prune
    }
  }
}

function line(t: PrefixTally, verb: string): string {
  return `${t.prefix.padEnd(12)} ${verb} ${String(t.objects).padStart(8)} objects ${String(t.bytes).padStart(14)} bytes`;
}

/** The printed report: per prefix, what was (or would be) deleted and what is kept. Keys only, never contents. */
export function retentionReport(plan: RetentionPlan, dryRun: boolean, today: string, where: string): string {
  const verb = dryRun ? 'would delete' : 'deleted';
  const lines = [`retention on ${today} in ${where}${dryRun ? ' (dry run: nothing deleted)' : ''}`];
  if (plan.expired.length === 0) lines.push('nothing is past retention');
  for (const t of plan.expired) lines.push(line(t, verb.padEnd(12)));
  for (const t of plan.kept) lines.push(line(t, 'kept'.padEnd(12)));
  return `${lines.join('\n')}\n`;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * `padan retention apply`: lists the store (`--out`, else S3 from the `S3_*` variables), decides
 * with the retention configuration (`PADAN_RETENTION_*`) what is past retention on `--now` (default
 * today, UTC), and deletes it in the plan's order: manifests, then files, then `latest.json`.
 */
export async function retentionApplyCommand(args: RetentionApplyArgs, env: NodeJS.ProcessEnv = process.env): Promise<RetentionPlan> {
  const config = loadRetentionConfig(env);
  const today = args.now !== undefined ? parseSnapshotDate(args.now) : todayUtc();
  let store: ObjectStore;
  let root: string | undefined;
  if (args.out !== undefined) {
    root = resolve(args.out);
    if (!existsSync(root)) throw new UsageError(`--out ${args.out} does not exist; give the folder of the embedded runs`);
    store = new FolderObjectStore(root);
  } else {
    const { S3ObjectStore } = await import('@padan/s3');
    store = S3ObjectStore.fromEnv(env);
  }
  const objects = await store.list('');
  const plan = planRetention(objects, config, today, await fixesPeriods(store, objects.map((o) => o.key)));
  if (!args.dryRun) {
    for (const phase of plan.phases) {
      for (let i = 0; i < phase.length; i += DELETE_BATCH) await store.delete(phase.slice(i, i + DELETE_BATCH));
    }
    if (root !== undefined) await pruneEmptyFolders(root, plan.phases.flat());
  }
  process.stdout.write(retentionReport(plan, args.dryRun === true, today, store.describe('')));
  return plan;
}
