import type { NormalizedBatch, NormalizedRecord } from '@padan/contracts';
import { MESSAGE_KEYS, recordKey } from '@padan/contracts';

/**
 * Splits a normalized batch by partition: a valid NIK is routed by its hash, so one person's
 * records always meet in one partition (and one match instance); an invalid or empty NIK by the
 * record's identity. Every record of an output message shares its partition.
 */
export function splitByPartition(
  batch: NormalizedBatch,
  partitions: number,
  partitionFor: (key: string, partitions: number) => number,
): { partition: number; key: string; value: NormalizedBatch }[] {
  const groups = new Map<number, NormalizedRecord[]>();
  for (const r of batch.records) {
    const key = r.nikInvalid === null ? r.nik : recordKey(batch, r.row);
    const p = partitionFor(key, partitions);
    const g = groups.get(p);
    if (g) g.push(r);
    else groups.set(p, [r]);
  }
  return [...groups].map(([partition, records]) => ({
    partition,
    key: MESSAGE_KEYS.normalizedBatch(batch, records[0]?.row ?? 0),
    value: { ...batch, records },
  }));
}
