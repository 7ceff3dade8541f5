import { describe, expect, it } from 'vitest';
import { ConfigError } from '@padan/service-kit';
import { DEFAULT_RETENTION, loadRetentionConfig } from './retention-config.js';

describe('loadRetentionConfig', () => {
  it('defaults to 13 months of inputs and 5 years of snapshots and history', () => {
    expect(loadRetentionConfig({})).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION).toEqual({ rawMonths: 13, snapshotMonths: 60, historyMonths: 60 });
  });

  it('reads the variables', () => {
    expect(loadRetentionConfig({ PADAN_RETENTION_RAW_MONTHS: '6', PADAN_RETENTION_SNAPSHOT_MONTHS: '24', PADAN_RETENTION_HISTORY_MONTHS: '12' })).toEqual({ rawMonths: 6, snapshotMonths: 24, historyMonths: 12 });
  });

  it('names the variable of an invalid value', () => {
    for (const value of ['abc', '0', '1.5', '-3']) {
      expect(() => loadRetentionConfig({ PADAN_RETENTION_RAW_MONTHS: value })).toThrow(/PADAN_RETENTION_RAW_MONTHS: must be/);
    }
  });

  it('refuses snapshots kept shorter than the raw inputs', () => {
    expect(() => loadRetentionConfig({ PADAN_RETENTION_RAW_MONTHS: '24', PADAN_RETENTION_SNAPSHOT_MONTHS: '12' })).toThrow(ConfigError);
    expect(() => loadRetentionConfig({ PADAN_RETENTION_RAW_MONTHS: '24', PADAN_RETENTION_SNAPSHOT_MONTHS: '12' })).toThrow(/PADAN_RETENTION_SNAPSHOT_MONTHS \(12\) must be at least PADAN_RETENTION_RAW_MONTHS \(24\)/);
  });
});
