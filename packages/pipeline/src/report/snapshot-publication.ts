import { createHash } from 'node:crypto';
import type { ObjectStore } from '@padan/runtime';
import { historyPrefix, latestPointerKey, periodSnapshotsPrefix, snapshotId } from './snapshot-layout.js';
import type { LatestPointer } from './snapshot-layout.js';

/** The snapshot a new one replaces, as recorded in the new manifest's `supersedes`. */
export interface Superseded {
  readonly date: string;
  readonly manifest_sha256: string;
  readonly history_prefix: string;
}

/** Reads a period's `latest.json`; null when the period has none (no snapshot yet, or one from before pointers). */
export async function readLatestPointer(store: ObjectStore, period: string): Promise<LatestPointer | null> {
  let body: Buffer;
  try {
    body = await store.get(latestPointerKey(period));
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
  try {
    return JSON.parse(body.toString('utf8')) as LatestPointer;
  } catch {
    throw new Error(`${store.describe(latestPointerKey(period))} is not JSON; remove it and write the period's snapshot again`);
  }
}

function isNotFound(e: unknown): boolean {
  const err = e as { code?: string; status?: number };
  return err.code === 'ENOENT' || err.code === 'NoSuchKey' || err.code === 'NotFound' || err.status === 404;
}

/**
 * Moves every object of the period's current snapshot folder(s) under `history/`, manifest first
 * out and last in, so neither place ever shows a manifest over files that are not all there.
 * Also moves folders written before `latest.json` existed (earlier versions wrote one folder per
 * date and kept them all); a folder without a manifest (a failed write) is deleted, not kept.
 * Returns what the new snapshot supersedes (null: nothing).
 */
export async function supersedeCurrent(store: ObjectStore, period: string, latest: LatestPointer | null): Promise<Superseded | null> {
  const base = periodSnapshotsPrefix(period);
  const pointer = latestPointerKey(period);
  const objects = (await store.list(base)).filter((o) => o.key !== pointer);
  if (objects.length === 0) return null;
  const byDate = new Map<string, string[]>();
  for (const o of objects) {
    const rest = o.key.slice(base.length);
    const date = /^date=([^/]+)\//.exec(rest)?.[1] ?? 'unknown';
    const keys = byDate.get(date);
    if (keys) keys.push(o.key);
    else byDate.set(date, [o.key]);
  }
  let superseded: Superseded | null = null;
  for (const [date, keys] of [...byDate].sort(([a], [b]) => a.localeCompare(b))) {
    const manifestKey = `${base}date=${date}/manifest.json`;
    const isCurrent = latest !== null && latest.date === date;
    if (!keys.includes(manifestKey)) {
      // No manifest: a write that failed or was stopped halfway. Not a snapshot, nothing to keep.
      await store.delete(keys);
      continue;
    }
    const sha = isCurrent ? latest.manifest_sha256 : createHash('sha256').update(await store.get(manifestKey)).digest('hex');
    const target = historyPrefix(period, date, snapshotId(sha));
    const ordered = [...keys.filter((k) => k !== manifestKey).sort(), ...keys.filter((k) => k === manifestKey)];
    // Every object is copied before any is deleted: a copy that fails leaves the current snapshot whole.
    try {
      for (const key of ordered) await store.copy(key, `${target}${key.slice(`${base}date=${date}/`.length)}`);
    } catch (e) {
      throw new Error(`cannot move the current snapshot of period ${period} (${store.describe(`${base}date=${date}/`)}) to history/ (${(e as Error).message}); it is left as it was: fix the cause and write the snapshot again`, { cause: e });
    }
    // Manifest first: a folder half deleted reads as incomplete, never as a smaller snapshot.
    await store.delete([manifestKey]);
    await store.delete(keys.filter((k) => k !== manifestKey));
    if (isCurrent || superseded === null || date > superseded.date) superseded = { date, manifest_sha256: sha, history_prefix: target };
  }
  return superseded;
}
