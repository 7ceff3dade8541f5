import { createHash } from 'node:crypto';

/**
 * The ingest run id is a hash of the period and the inputs' checksums, not a random id: replaying
 * the same archived file gives the same id, which keeps snapshots byte-identical. Each file's id is
 * its own (period, source, checksum), so the embedded and the distributed run agree.
 */
export function runIdOf(period: string, inputs: readonly { source: string; sha256: string }[]): string {
  const h = createHash('sha256').update(period);
  for (const i of [...inputs].sort((a, b) => (a.source + a.sha256 < b.source + b.sha256 ? -1 : 1))) h.update(`\n${i.source}:${i.sha256}`);
  return h.digest('hex').slice(0, 16);
}
