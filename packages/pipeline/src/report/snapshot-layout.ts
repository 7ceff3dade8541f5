/**
 * Where a snapshot's files live in the object store (S3, or an embedded `--out`).
 *
 * ```
 * snapshots/period=P/latest.json                          the current snapshot of P (a pointer)
 * snapshots/period=P/date=D/manifest.json                 written last: its presence means complete
 * snapshots/period=P/date=D/restricted/findings.{csv,xlsx,parquet}, rejected.jsonl   personal data
 * snapshots/period=P/date=D/dashboard/summary.json        no NIK, no name (and changes.csv, changes.parquet: against the previous period)
 * history/period=P/date=D/snapshot=<id>/...               superseded snapshots, same layout
 * ```
 *
 * `snapshots/**` holds exactly one snapshot per period: a new one moves the current one under
 * `history/` first, so a reader of `snapshots/**​/findings.parquet` never counts a record twice.
 * Restricted and dashboard files sit in separate folders so that access can differ per folder.
 */
export { SNAPSHOT_SCHEMA_VERSION } from '@padan/contracts';

/** Output files in the order they are written; manifest.json is last so its presence means "complete". */
export const SNAPSHOT_FILES = ['findings.csv', 'findings.xlsx', 'findings.parquet', 'rejected.jsonl', 'summary.json', 'manifest.json'] as const;
/** Files a snapshot has when the previous period has a snapshot (`padan run` embedded): the month-over-month changes, for dashboards (no NIK, no name). */
export const SNAPSHOT_CHANGES_FILES = ['changes.csv', 'changes.parquet'] as const;
export type SnapshotFileName = (typeof SNAPSHOT_FILES)[number] | (typeof SNAPSHOT_CHANGES_FILES)[number];

const FOLDER: Record<SnapshotFileName, string> = {
  'findings.csv': 'restricted/',
  'findings.xlsx': 'restricted/',
  'findings.parquet': 'restricted/',
  'rejected.jsonl': 'restricted/',
  'summary.json': 'dashboard/',
  'changes.csv': 'dashboard/',
  'changes.parquet': 'dashboard/',
  'manifest.json': '',
};

/** A snapshot file's path relative to its snapshot folder, e.g. `restricted/findings.csv`. */
export function snapshotFilePath(name: SnapshotFileName): string {
  return `${FOLDER[name]}${name}`;
}

/** Every snapshot of a period, current and pointer (not history). */
export function periodSnapshotsPrefix(period: string): string {
  return `snapshots/period=${period}/`;
}

export function snapshotPrefix(period: string, date: string): string {
  return `${periodSnapshotsPrefix(period)}date=${date}/`;
}

/** The object naming a period's current snapshot. */
export function latestPointerKey(period: string): string {
  return `${periodSnapshotsPrefix(period)}latest.json`;
}

/** Where a superseded snapshot of `date` is kept; `id` tells superseded snapshots of one date apart. */
export function historyPrefix(period: string, date: string, id: string): string {
  return `history/period=${period}/date=${date}/snapshot=${id}/`;
}

/** The content of `latest.json`. */
export interface LatestPointer {
  readonly v: 1;
  readonly period: string;
  readonly date: string;
  readonly prefix: string;
  /** sha256 of the snapshot's manifest.json: names it in `history/` once superseded. */
  readonly manifest_sha256: string;
  readonly run_id: string;
  readonly created_at: string;
}

/** The history id of a snapshot, from its manifest's checksum. */
export function snapshotId(manifestSha256: string): string {
  return manifestSha256.slice(0, 16);
}
