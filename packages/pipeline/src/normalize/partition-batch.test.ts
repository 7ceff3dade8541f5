import { describe, expect, it } from 'vitest';
import { MESSAGE_KEYS } from '@padan/contracts';
import type { NormalizedBatch, NormalizedRecord } from '@padan/contracts';
import { splitByPartition } from './partition-batch.js';

function rec(row: number, nik: string, nikInvalid: NormalizedRecord['nikInvalid'] = null): NormalizedRecord {
  return {
    row, nikRaw: nik, nik, nikInvalid, nikSex: null, nikBirthDate: null, noKk: null, nama: 'A', nameKey: 'A',
    birthDate: null, kodeWilayah: null, regency: null, householdId: null, deceased: null, warnings: [],
  };
}

describe('splitByPartition', () => {
  const batch: NormalizedBatch = { v: 1, period: '2021-09', source: 'PKH', file: 'pkh.csv', runId: 'r', format: 'csv', fields: ['nik'], records: [rec(3, 'A'), rec(4, 'B'), rec(5, 'A'), rec(6, '12', 'LENGTH')] };
  // The test's partitioner: by the key's first character, so the groups are plain to see.
  const byFirst = (key: string, n: number) => key.charCodeAt(0) % n;

  it('routes a valid NIK by the NIK and an invalid one by the record identity, keyed as every normalized batch is', () => {
    const out = splitByPartition(batch, 7, byFirst);
    expect(out.map((m) => [m.partition, m.value.records.map((r) => r.row)])).toEqual([
      [byFirst('A', 7), [3, 5]],
      [byFirst('B', 7), [4]],
      [byFirst('2021-09/PKH/pkh.csv#6', 7), [6]],
    ]);
    expect(out.map((m) => m.key)).toEqual([MESSAGE_KEYS.normalizedBatch(batch, 3), MESSAGE_KEYS.normalizedBatch(batch, 4), MESSAGE_KEYS.normalizedBatch(batch, 6)]);
    expect(out[0]?.key).toBe('2021-09/PKH/pkh.csv#3');
  });
});
