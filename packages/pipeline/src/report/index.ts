export { DEFAULT_SPILL_ROWS } from './report-stage.js';
export type { PeriodStatus } from './report-stage.js';
export { ReportService } from './report-service.js';
export type { ReportServiceOptions, SnapshotFailure } from './report-service.js';
export { MatchStatusView } from './match-status-view.js';
export { parseDailyAt } from './daily-schedule.js';
export { SNAPSHOT_CHANGES_FILES, SNAPSHOT_FILES, SNAPSHOT_SCHEMA_VERSION, historyPrefix, latestPointerKey, periodSnapshotsPrefix, snapshotFilePath, snapshotPrefix } from './snapshot-layout.js';
export type { LatestPointer, SnapshotFileName } from './snapshot-layout.js';
export { readLatestPointer } from './snapshot-publication.js';
