import type { NormalizedBatch } from '@padan/contracts';
import type { BaseResult } from '@padan/match-state';

/**
 * The messages that ask owning partitions to recompute records (see MatchStage `owner`): one per
 * owning partition and period. The owner reads the bases of the message's period only, so keys of
 * two periods in one message would lose the second period's (periods processed together: a
 * replay, or two months ingested at once).
 */
export function reevaluationMessages(queued: readonly { partition: number; bases: readonly BaseResult[] }[]): { key: string; partition: number; value: NormalizedBatch }[] {
  const out: { key: string; partition: number; value: NormalizedBatch }[] = [];
  for (const { partition, bases } of queued) {
    const byPeriod = new Map<string, BaseResult[]>();
    for (const b of bases) {
      const list = byPeriod.get(b.period);
      if (list) list.push(b);
      else byPeriod.set(b.period, [b]);
    }
    for (const group of byPeriod.values()) {
      const first = group[0] as BaseResult;
      out.push({
        key: `reevaluate/${first.key}`,
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
  return out;
}
