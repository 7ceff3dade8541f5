export { ReportStage } from './report-stage.js';
export type { PeriodStatus } from './report-stage.js';
export { ResultStore, fileCounts } from './result-store.js';
export { buildSummary } from './summary.js';
export type { Summary } from './summary.js';
export { writeSnapshot, snapshotPrefix, SNAPSHOT_FILES } from './snapshot.js';
export type { SnapshotContext } from './snapshot.js';
export { mismatchEvent } from './mismatch-events.js';
