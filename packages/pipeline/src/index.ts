/**
 * The pipeline: the four stage handlers (ingest, normalize, match, report), transport-independent,
 * and their embedded wiring. The services wire the same handlers to Kafka, Redis and S3; the
 * ports they are written against are in @padan/runtime (bus, object store) and
 * @padan/match-state (match state).
 */
export {
  ingestFile,
  runIdOf,
  doneKey,
  landingKey,
  parseLandingKey,
  rawArchiveKey,
  LANDING_PREFIX,
  FinishedObjects,
  filesToReplay,
  missingFromArchive,
  parseRawArchiveKey,
  rawArchivePrefix,
} from './ingest/index.js';
export type { IngestTarget, IngestSink, IngestOptions, LandingObject, FinishedStore, ArchivedFile } from './ingest/index.js';
export { normalizeBatch, splitByPartition } from './normalize/index.js';
export { archiveProgress, ensureNotClosed, gateDtksRelease, MatchStage, mergeMatchOutputs, PeriodBeingReopenedError, PeriodClosedDuringChunkError, publishMatchOutput, reopenClosedPeriods, requestArchiveReplay } from './match/index.js';
export type { ReleaseClaim, MatchOutput, PublishMatchOptions, ArchiveReplayPorts, ReopenPorts, ArchiveProgress } from './match/index.js';
export {
  DEFAULT_SPILL_ROWS,
  ReportService,
  MatchStatusView,
  parseDailyAt,
  SNAPSHOT_FILES,
  SNAPSHOT_SCHEMA_VERSION,
  historyPrefix,
  latestPointerKey,
  periodSnapshotsPrefix,
  readLatestPointer,
  snapshotFilePath,
  snapshotPrefix,
} from './report/index.js';
export type { LatestPointer, PeriodStatus, ReportServiceOptions, SnapshotFailure, SnapshotFileName } from './report/index.js';
export { runEmbedded, regionCatalog, regencyName, fixedRawBatch, fixKey } from './embedded/index.js';
export type { EmbeddedRunOptions, EmbeddedRunResult, PipelineInput, Fix } from './embedded/index.js';
export { DEFAULT_RETENTION, loadRetentionConfig, retentionEnv, retainedObject, dateRetentionEnd, isPast, periodRetentionEnd, planRetention, RETENTION_PREFIXES } from './retention/index.js';
export type { RetentionConfig, RetainedObject, PrefixTally, RetentionPlan, RetentionPrefix } from './retention/index.js';
