import { describe, expect, it } from 'vitest';
import { fixedRawBatch } from './row-fix.js';

describe('fixedRawBatch', () => {
  it('carries the dead letter\'s lineage and row with the fixed values', () => {
    const batch = fixedRawBatch(
      { source: 'PKH', file: 'pkh.csv', row: 7, fields: ['nik', 'nama'], values: ['1', 'A'], fixesFile: 'f.csv', fixesRow: 2 },
      { v: 1, period: '2021-09', source: 'PKH', file: 'pkh.csv', runId: 'abc', format: 'csv', row: 7, reason: 'RAGGED_ROW', message: 'm', raw: 'r' },
    );
    expect(batch).toEqual({ v: 1, period: '2021-09', source: 'PKH', file: 'pkh.csv', runId: 'abc', format: 'csv', fields: ['nik', 'nama'], rows: [[7, ['1', 'A']]] });
  });
});
