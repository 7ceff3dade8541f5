import { z } from 'zod';
import { ConfigError, loadConfig } from '@padan/service-kit';

const months = (fallback: number) =>
  z.coerce.number({ error: 'must be a whole number of months' }).int('must be a whole number of months').min(1, 'must be at least 1 month').max(1200, 'must be at most 1200 months').default(fallback);

/**
 * How long each kind of object is kept, in months (see infra/retention/README.md):
 * - PADAN_RETENTION_RAW_MONTHS: inputs (`raw/`, `landing/`, embedded `runs/fixes/`), from the end of their period;
 * - PADAN_RETENTION_SNAPSHOT_MONTHS: a period's current snapshot (`snapshots/`), from the end of the period;
 * - PADAN_RETENTION_HISTORY_MONTHS: superseded snapshots (`history/`), from their snapshot date, and never past the period's snapshots.
 */
export const retentionEnv = {
  PADAN_RETENTION_RAW_MONTHS: months(13),
  PADAN_RETENTION_SNAPSHOT_MONTHS: months(60),
  PADAN_RETENTION_HISTORY_MONTHS: months(60),
};

export interface RetentionConfig {
  readonly rawMonths: number;
  readonly snapshotMonths: number;
  readonly historyMonths: number;
}

export const DEFAULT_RETENTION: RetentionConfig = Object.freeze({ rawMonths: 13, snapshotMonths: 60, historyMonths: 60 });

/**
 * Reads the retention variables once. Snapshots must outlive the raw inputs: a period whose inputs
 * are still kept can be reprocessed, and its current snapshot is what says what was published for
 * it; deleting the snapshot first would leave personal data (the inputs) with no current output.
 */
export function loadRetentionConfig(env: NodeJS.ProcessEnv = process.env): RetentionConfig {
  const c = loadConfig(z.object(retentionEnv), env);
  if (c.PADAN_RETENTION_SNAPSHOT_MONTHS < c.PADAN_RETENTION_RAW_MONTHS) {
    throw new ConfigError([
      `PADAN_RETENTION_SNAPSHOT_MONTHS (${c.PADAN_RETENTION_SNAPSHOT_MONTHS}) must be at least PADAN_RETENTION_RAW_MONTHS (${c.PADAN_RETENTION_RAW_MONTHS}): a period's current snapshot is never deleted while its raw inputs are kept`,
    ]);
  }
  return Object.freeze({ rawMonths: c.PADAN_RETENTION_RAW_MONTHS, snapshotMonths: c.PADAN_RETENTION_SNAPSHOT_MONTHS, historyMonths: c.PADAN_RETENTION_HISTORY_MONTHS });
}
