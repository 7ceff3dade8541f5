import type { ArchiveReplayRequest, FileCompleted } from '@padan/contracts';

/** Whether a rewound partition lost records to retention (or deleteRecords): its earliest offset is above 0. */
export function recordsDeleted(ends: ReadonlyMap<number, { low: number; high: number }>): boolean {
  for (const at of ends.values()) if (at.low > 0) return true;
  return false;
}

/** The periods of the file announcements, sorted, once each. */
export function announcedPeriods(files: readonly FileCompleted[]): string[] {
  return [...new Set(files.map((f) => f.period))].sort();
}

/** What asking for the archive needs from the service (Redis, Kafka). */
export interface ArchiveReplayPorts {
  /** Takes the generation's claim on asking: true for the one instance that asks. */
  claim(): Promise<boolean>;
  /** Gives the claim back (the requests could not be published: the next rewind asks again). */
  release(): Promise<void>;
  /** Every file announcement of the compacted padan.files.v1. */
  announcedFiles(): Promise<readonly FileCompleted[]>;
  /** Records the periods as awaiting their archive, before they are asked for (see RedisArchiveAwaited). */
  awaitArchive(periods: readonly string[]): Promise<void>;
  publish(requests: readonly ArchiveReplayRequest[]): Promise<void>;
}

/**
 * Asks ingest for the input a rebuild cannot find in the topics. A rebuild replays
 * padan.normalized.v1 from its earliest offsets, which hold 7 days; when a rewound partition has
 * lost records (earliest offset above 0), the state would be rebuilt without them and results
 * would silently go wrong (a DTKS release that never completes, a duplicate or a conflict
 * missing). So every period announced on the compacted padan.files.v1 is asked for again from
 * the raw archive (padan.archive-replay-requests.v1): ingest publishes its files into
 * padan.raw.v1 with their original lineage, and normalize and match take them like any input.
 *
 * Every period, not only the ones whose rows are gone: which periods lost rows is not known
 * without reading the whole topic, and rows that were retained and come again count once (the
 * state's writes are idempotent per row, as for a redelivery). One instance asks per generation
 * (`claim`). The periods are marked as awaiting their archive first, so match holds them on its
 * status until every announced row is back. Returns the periods asked for, or null when nothing was asked. Throws when the
 * requests cannot be published, the claim given back: the caller rewinds again and retries.
 */
export async function requestArchiveReplay(
  g: { readonly id: string; readonly kind: 'fresh' | 'rebuild' },
  ends: ReadonlyMap<number, { low: number; high: number }>,
  ports: ArchiveReplayPorts,
): Promise<string[] | null> {
  if (g.kind !== 'rebuild' || !recordsDeleted(ends)) return null;
  if (!(await ports.claim())) return null;
  try {
    const periods = announcedPeriods(await ports.announcedFiles());
    await ports.awaitArchive(periods);
    await ports.publish(periods.map((period) => ({ v: 1, period, generation: g.id, reason: 'INPUT_PAST_RETENTION' })));
    return periods;
  } catch (e) {
    await ports.release().catch(() => {});
    throw e;
  }
}
