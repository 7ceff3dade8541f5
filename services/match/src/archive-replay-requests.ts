import type { Cluster, Redis } from 'ioredis';
import { MESSAGE_KEYS, TOPICS } from '@padan/contracts';
import type { ArchiveReplayRequest, FileCompleted } from '@padan/contracts';
import type { KafkaBus } from '@padan/kafka';
import type { Logger } from '@padan/service-kit';
import { stateKeyPrefix } from './state-generation.js';
import type { Generation } from './state-generation.js';

/** Whether a rewound partition lost records to retention (or deleteRecords): its earliest offset is above 0. */
export function recordsDeleted(ends: ReadonlyMap<number, { low: number; high: number }>): boolean {
  for (const at of ends.values()) if (at.low > 0) return true;
  return false;
}

/** The periods of the file announcements, sorted, once each. */
export function announcedPeriods(files: readonly FileCompleted[]): string[] {
  return [...new Set(files.map((f) => f.period))].sort();
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
 * state's writes are idempotent per row, as for a redelivery). One instance asks per generation:
 * a claim in the generation's key space, given back if the requests could not be published.
 */
export class ArchiveReplayRequests {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly bus: KafkaBus,
    private readonly logger: Logger,
    private readonly onRequested: (periods: number) => void,
  ) {}

  /**
   * After partitions of padan.normalized.v1 were rewound into rebuild generation `g` (`ends`:
   * their offsets then): asks for the archive when any had lost records and no instance asked
   * for `g` yet. Returns how many periods were asked for. Throws when the requests cannot be
   * published; the caller rewinds again and retries.
   */
  async afterRewind(g: Generation, ends: ReadonlyMap<number, { low: number; high: number }>): Promise<number> {
    if (g.kind !== 'rebuild' || !recordsDeleted(ends)) return 0;
    const claim = `${stateKeyPrefix(g)}archive-replay-requested`;
    if ((await this.redis.set(claim, '1', 'NX')) !== 'OK') return 0;
    try {
      const periods = announcedPeriods((await this.bus.readTopic<FileCompleted>(TOPICS.files)).map((m) => m.value));
      const requests = periods.map((period): ArchiveReplayRequest => ({ v: 1, period, generation: g.id, reason: 'INPUT_PAST_RETENTION' }));
      await this.bus.publish(TOPICS.archiveReplayRequests, requests.map((value) => ({ key: MESSAGE_KEYS.archiveReplayRequest(value), value })));
      this.onRequested(periods.length);
      this.logger.warn(
        { generation: g.id, periods: periods.length, topic: TOPICS.normalized, reason: 'INPUT_PAST_RETENTION' },
        "the rebuild found records of padan.normalized.v1 past their retention: asked ingest to publish every announced period's files again from the raw archive; results converge once they are in",
      );
      return periods.length;
    } catch (e) {
      await this.redis.del(claim).catch(() => {});
      throw e;
    }
  }
}
