import type { ObjectInfo } from '@padan/runtime';
import type { RetentionConfig } from './retention-config.js';
import { retainedObject } from './retained-object.js';
import { dateRetentionEnd, isPast, periodRetentionEnd } from './retention-deadline.js';

/** The prefixes retention reports on, in this order. */
export const RETENTION_PREFIXES = ['landing/', 'raw/', 'runs/fixes/', 'snapshots/', 'history/'] as const;
export type RetentionPrefix = (typeof RETENTION_PREFIXES)[number];

export interface PrefixTally {
  readonly prefix: RetentionPrefix;
  objects: number;
  bytes: number;
}

export interface RetentionPlan {
  /**
   * Expired keys in the order they must be deleted: every snapshot folder's `manifest.json` first
   * (an interrupted run then leaves folders that read as incomplete, never a manifest whose files
   * are gone), then the other objects, then the periods' `latest.json` pointers last (a pointer
   * never names a folder that was already whole when it was deleted). Each phase sorted by key.
   */
  readonly phases: readonly (readonly string[])[];
  /** Expired objects and bytes per prefix (only prefixes that hold any object). */
  readonly expired: readonly PrefixTally[];
  /** Objects kept per prefix. */
  readonly kept: readonly PrefixTally[];
}

/**
 * Decides, for every listed object, whether it is past retention on `today` (YYYY-MM-DD, UTC):
 * inputs `rawMonths` after the end of their period, current snapshots `snapshotMonths` after it,
 * superseded snapshots `historyMonths` after their snapshot date but never after the period's
 * snapshots. Objects of no known kind are kept. Pure: the same listing gives the same plan.
 */
export function planRetention(
  objects: readonly ObjectInfo[],
  config: RetentionConfig,
  today: string,
  fixesPeriods: ReadonlyMap<string, readonly string[]> = new Map(),
): RetentionPlan {
  const manifests: string[] = [];
  const files: string[] = [];
  const pointers: string[] = [];
  const expired = new Map<RetentionPrefix, PrefixTally>();
  const kept = new Map<RetentionPrefix, PrefixTally>();
  const count = (m: Map<RetentionPrefix, PrefixTally>, prefix: RetentionPrefix, bytes: number) => {
    const t = m.get(prefix) ?? { prefix, objects: 0, bytes: 0 };
    t.objects += 1;
    t.bytes += bytes;
    m.set(prefix, t);
  };
  for (const o of objects) {
    const r = retainedObject(o.key, fixesPeriods);
    if (r.kind === 'kept') continue;
    let prefix: RetentionPrefix;
    let past: boolean;
    if (r.kind === 'input') {
      prefix = r.prefix;
      past = r.periods.every((p) => isPast(periodRetentionEnd(p, config.rawMonths), today));
    } else if (r.kind === 'snapshot') {
      prefix = 'snapshots/';
      past = isPast(periodRetentionEnd(r.period, config.snapshotMonths), today);
    } else {
      prefix = 'history/';
      const own = dateRetentionEnd(r.date, config.historyMonths);
      const period = periodRetentionEnd(r.period, config.snapshotMonths);
      past = isPast(own < period ? own : period, today);
    }
    if (!past) {
      count(kept, prefix, o.bytes);
      continue;
    }
    count(expired, prefix, o.bytes);
    const role = r.kind === 'input' ? 'file' : r.role;
    (role === 'manifest' ? manifests : role === 'latest' ? pointers : files).push(o.key);
  }
  const byPrefix = (m: Map<RetentionPrefix, PrefixTally>) => RETENTION_PREFIXES.flatMap((p) => (m.has(p) ? [m.get(p) as PrefixTally] : []));
  const sorted = (l: string[]) => l.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { phases: [sorted(manifests), sorted(files), sorted(pointers)], expired: byPrefix(expired), kept: byPrefix(kept) };
}
