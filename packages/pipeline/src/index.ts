/**
 * The pipeline: the four stage handlers (ingest, normalize, match, report), transport-independent,
 * and their embedded wiring. The services wire the same handlers to Kafka, Redis and S3; the
 * ports they are written against (bus, object store) are in @padan/runtime, match state in
 * @padan/match-state.
 */
export { ingestFile, runIdOf, doneKey, landingKey, parseLandingKey, rawArchiveKey, LANDING_PREFIX, FinishedObjects } from './ingest/index.js';
export type { IngestTarget, IngestSink, IngestOptions, LandingObject, FinishedStore } from './ingest/index.js';
export { normalizeBatch, splitByPartition } from './normalize/index.js';
export { MatchStage, emptyMatchOutput, mergeMatchOutputs, publishMatchOutput, reevaluationMessages, REEVALUATE_CHUNK } from './match/index.js';
export type { ReleaseClaim, MatchOutput, PublishMatchOptions } from './match/index.js';
export {
  ReportStage,
  DEFAULT_SPILL_ROWS,
  ResultStore,
  fileCounts,
  SummaryBuilder,
  writeSnapshot,
  snapshotPrefix,
  SNAPSHOT_FILES,
  mismatchEvent,
  ReportService,
  MatchStatusView,
  nextDailyRun,
  jakartaDateOf,
  parseDailyAt,
} from './report/index.js';
export type { PeriodStatus, ReportStageOptions, CleanInfo, ResultEntry, Summary, SnapshotContext, ReportServiceOptions } from './report/index.js';
export { runEmbedded, regionCatalog, regencyName, fixedRawBatch, fixKey } from './embedded/index.js';
export type { EmbeddedRunOptions, EmbeddedRunResult, PipelineInput, Fix } from './embedded/index.js';
