import { MESSAGE_KEYS } from '@padan/contracts';
import type { NormalizedBatch } from '@padan/contracts';
import type { BaseResult } from '@padan/match-state';

/** Record keys per reevaluation message: 1000 keys of ~60 bytes stay far below Kafka's 1 MB message limit. */
export const REEVALUATE_CHUNK = 1000;

/**
 * The messages that ask owning partitions to recompute records (see MatchStage `owner`): per
 * owning partition, at most REEVALUATE_CHUNK records per message, one message per period. The
 * owner reads the bases of the message's period only, so keys of two periods in one message would
 * lose the second period's (periods processed together: a replay, or two months ingested at once).
 */
export function reevaluationMessages(byPartition: ReadonlyMap<number, readonly BaseResult[]>): { key: string; partition: number; value: NormalizedBatch }[] {
  const out: { key: string; partition: number; value: NormalizedBatch }[] = [];
  for (const [partition, all] of byPartition) {
    for (let i = 0; i < all.length; i += REEVALUATE_CHUNK) {
      const byPeriod = new Map<string, BaseResult[]>();
      for (const b of all.slice(i, i + REEVALUATE_CHUNK)) {
        const list = byPeriod.get(b.period);
        if (list) list.push(b);
        else byPeriod.set(b.period, [b]);
      }
      for (const group of byPeriod.values()) {
        const first = group[0] as BaseResult;
        out.push({
          key: MESSAGE_KEYS.reevaluation(first.key),
          partition,
          value: {
            v: 1,
            period: first.period,
            source: first.source,
            file: first.file,
            runId: first.runId,
            format: first.format,
            fields: [],
            records: [],
            reevaluate: [...new Set(group.map((b) => b.key))],
          },
        });
      }
    }
  }
  return out;
}
