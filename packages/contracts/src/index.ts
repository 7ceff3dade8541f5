export { PROGRAMS, SOURCES, FIELDS, PERIOD_PATTERN, parseSource } from './sources.js';
export type { Program, Source, Field } from './sources.js';
export {
  REASONS,
  REASON_DESCRIPTIONS,
  INVALID_NIK_DETAILS,
  DETAIL_DESCRIPTIONS,
  WARNINGS,
  WARNING_DESCRIPTIONS,
  REJECT_REASONS,
  REJECT_DESCRIPTIONS,
  MESSAGE_REJECT_REASONS,
  MESSAGE_REJECT_DESCRIPTIONS,
  byPrecedence,
} from './reason-codes.js';
export type { Reason, InvalidNikDetail, Warning, RejectReason, MessageRejectReason } from './reason-codes.js';
export { defineContract, ContractViolation } from './contract.js';
export { maskPersonalData, holdsPersonalData, maskedExcerpt } from './personal-data-mask.js';
export type { Contract } from './contract.js';
export { lineageSchema, periodSchema, sourceSchema, fieldSchema, formatSchema, recordKey } from './lineage.js';
export type { Lineage, InputFormat } from './lineage.js';
export { RawBatchContract, rawBatchSchema } from './raw-batch.js';
export type { RawBatch } from './raw-batch.js';
export { FileCompletedContract, fileCompletedSchema } from './file-completed.js';
export type { FileCompleted } from './file-completed.js';
export {
  RejectedRowContract,
  rejectedRowSchema,
  rejectedMessageSchema,
  deadLetterSchema,
  isRejectedMessage,
  rejectedMessageKey,
  REJECTED_MESSAGE_EXCERPT_CHARS,
} from './rejected-row.js';
export type { RejectedRow, RejectedMessage, DeadLetter } from './rejected-row.js';
export { NormalizedBatchContract, normalizedBatchSchema, normalizedRecordSchema } from './normalized-batch.js';
export type { NormalizedBatch, NormalizedRecord } from './normalized-batch.js';
export { MatchResultContract, matchResultSchema, CHECKS } from './match-result.js';
export type { MatchResult, Check } from './match-result.js';
export { MatchStatusContract, matchStatusSchema } from './match-status.js';
export { ArchiveReplayRequestContract, archiveReplayRequestSchema } from './archive-replay-request.js';
export type { ArchiveReplayRequest } from './archive-replay-request.js';
export type { MatchStatus } from './match-status.js';
export { MismatchEventContract, mismatchEventSchema } from './mismatch-event.js';
export type { MismatchEvent } from './mismatch-event.js';
export { SnapshotAnnouncementContract, snapshotAnnouncementSchema } from './snapshot-announcement.js';
export type { SnapshotAnnouncement } from './snapshot-announcement.js';
export { TOPICS, CONSUMER_GROUPS } from './topics.js';
export type { TopicName } from './topics.js';
export { SnapshotRequestContract, snapshotRequestSchema } from './snapshot-request.js';
export type { SnapshotRequest } from './snapshot-request.js';
export { dtksIndexEntrySchema } from './dtks-index-entry.js';
export { DtksIndexBatchContract, dtksIndexBatchSchema, packDtksIndex, unpackDtksIndex, DTKS_INDEX_ENTRIES_PER_BATCH } from './dtks-index-batch.js';
export type { DtksIndexBatch, DtksIndexTuple } from './dtks-index-batch.js';
export { ResultBatchContract, resultBatchSchema, packResults, unpackResults, RESULTS_PER_BATCH } from './result-batch.js';
export type { ResultBatch, ResultTuple } from './result-batch.js';
export { rowSetTag } from './row-set-tag.js';
export type { DtksIndexEntry } from './dtks-index-entry.js';
export { TOPIC_CONTRACTS } from './topic-contracts.js';
export type { TopicContracts, TopicValue } from './topic-contracts.js';
export { MESSAGE_KEYS } from './message-keys.js';
export { IngestProgressContract, ingestProgressSchema } from './ingest-progress.js';
export type { IngestProgress } from './ingest-progress.js';
export { PUBLISHED_SCHEMAS, contractSchemaFile } from './published-schemas.js';
export type { PublishedSchema } from './published-schemas.js';
export { TOPIC_DOCS, MESSAGE_HEADERS } from './topic-docs.js';
export type { TopicDoc, TopicAudience } from './topic-docs.js';
export { SNAPSHOT_SCHEMA_VERSION, snapshotSummarySchema } from './snapshot-summary.js';
export type { SnapshotSummary } from './snapshot-summary.js';
export { snapshotManifestSchema } from './snapshot-manifest.js';
export type { SnapshotManifest } from './snapshot-manifest.js';
