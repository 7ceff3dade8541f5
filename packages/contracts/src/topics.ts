/**
 * Topic names. The version suffix changes when a contract changes incompatibly, so old and new
 * producers never share a topic.
 */
export const TOPICS = {
  raw: 'padan.raw.v1',
  files: 'padan.files.v1',
  rejected: 'padan.rejected.v1',
  normalized: 'padan.normalized.v1',
  /** Result batches (ResultBatch v1), many results of one file per message. */
  results: 'padan.results.v2',
  /**
   * One result per message (MatchResult v1), as published before the batched results: report still
   * reads it so that a deployment upgraded in place keeps the periods published before (README,
   * "Upgrading a running deployment"). Nothing publishes to it any more.
   */
  resultsV1: 'padan.results.v1',
  mismatches: 'padan.mismatches.v1',
  snapshots: 'padan.snapshots.v1',
  snapshotRequests: 'padan.snapshot-requests.v1',
  dtksIndex: 'padan.dtks-index.v3',
  ingestProgress: 'padan.ingest-progress.v1',
  matchStatus: 'padan.match-status.v1',
  /** Requests from match to ingest: publish a period's archived files again (input past the topics' retention). */
  archiveReplayRequests: 'padan.archive-replay-requests.v1',
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
  /** ingest reading archive replay requests: each request is handled once, by one instance. */
  ingestArchiveReplay: 'padan-ingest-archive-replay',
} as const;
