/**
 * Topic names. The version suffix changes when a contract changes incompatibly, so old and new
 * producers never share a topic.
 */
export const TOPICS = {
  raw: 'padan.raw.v1',
  files: 'padan.files.v1',
  rejected: 'padan.rejected.v1',
  normalized: 'padan.normalized.v1',
  results: 'padan.results.v1',
  mismatches: 'padan.mismatches.v1',
  snapshots: 'padan.snapshots.v1',
  snapshotRequests: 'padan.snapshot-requests.v1',
  dtksIndex: 'padan.dtks-index.v2',
  ingestProgress: 'padan.ingest-progress.v1',
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * Consumer groups of the services. Named here, not in each service, because other services read
 * their progress: report waits until match has consumed everything published to it before it
 * writes a snapshot (see report's `settled`).
 */
export const CONSUMER_GROUPS = {
  normalize: 'padan-normalize',
  match: 'padan-match',
} as const;
