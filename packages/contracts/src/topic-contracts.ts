import type { z } from 'zod';
import type { Contract } from './contract.js';
import { ArchiveReplayRequestContract } from './archive-replay-request.js';
import { DtksIndexBatchContract } from './dtks-index-batch.js';
import { FileCompletedContract } from './file-completed.js';
import { IngestProgressContract } from './ingest-progress.js';
import { MatchResultContract } from './match-result.js';
import { MatchStatusContract } from './match-status.js';
import { MismatchEventContract } from './mismatch-event.js';
import { NormalizedBatchContract } from './normalized-batch.js';
import { RawBatchContract } from './raw-batch.js';
import { RejectedRowContract } from './rejected-row.js';
import { ResultBatchContract } from './result-batch.js';
import { SnapshotAnnouncementContract } from './snapshot-announcement.js';
import { SnapshotRequestContract } from './snapshot-request.js';
import { TOPICS } from './topics.js';
import type { TopicName } from './topics.js';

/**
 * The contract of every topic: producers encode with it and consumers decode with it. Typed per
 * topic (`TopicValue<typeof TOPICS.results>` is ResultBatch), and every topic must have one.
 */
export const TOPIC_CONTRACTS = {
  [TOPICS.raw]: RawBatchContract,
  [TOPICS.files]: FileCompletedContract,
  [TOPICS.rejected]: RejectedRowContract,
  [TOPICS.normalized]: NormalizedBatchContract,
  [TOPICS.results]: ResultBatchContract,
  [TOPICS.resultsV1]: MatchResultContract,
  [TOPICS.mismatches]: MismatchEventContract,
  [TOPICS.snapshots]: SnapshotAnnouncementContract,
  [TOPICS.snapshotRequests]: SnapshotRequestContract,
  [TOPICS.dtksIndex]: DtksIndexBatchContract,
  [TOPICS.ingestProgress]: IngestProgressContract,
  [TOPICS.matchStatus]: MatchStatusContract,
  [TOPICS.archiveReplayRequests]: ArchiveReplayRequestContract,
} as const satisfies Record<TopicName, Contract<z.ZodType>>;

export type TopicContracts = typeof TOPIC_CONTRACTS;
/** The message value of a topic. */
export type TopicValue<T extends TopicName> = z.infer<TopicContracts[T]['schema']>;

