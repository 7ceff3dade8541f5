import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingKeys, score } from './accuracy.js';

const programs = new Set(['DTKS', 'BST', 'PBI']);

describe('score by (program, NIK, reason)', () => {
  it('counts a repeated NIK as a multiset, not a set', () => {
    const truth = new Map([
      ['PBI|1501010101010001|DUPLICATE_IN_PROGRAM', 2],
      ['BST|1501010101010002|NOT_IN_DTKS', 1],
    ]);
    const found = new Map([
      ['PBI|1501010101010001|DUPLICATE_IN_PROGRAM', 3],
      ['DTKS|1501010101010003|INVALID_NIK', 1],
    ]);
    const s = score(found, truth, programs);
    expect(s.perReason.DUPLICATE_IN_PROGRAM).toEqual({ tp: 2, fp: 1, fn: 0, precision: 0.6667, recall: 1 });
    expect(s.perReason.NOT_IN_DTKS).toEqual({ tp: 0, fp: 0, fn: 1, precision: 1, recall: 0 });
    expect(s.perReason.INVALID_NIK).toEqual({ tp: 0, fp: 1, fn: 0, precision: 0, recall: 1 });
    expect(s.overall).toEqual({ tp: 2, fp: 2, fn: 1, precision: 0.5, recall: 0.6667 });
  });

  it('reads a findings CSV: digits of the NIK, each reason, only the programs asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'padan-bench-accuracy-'));
    const csv = join(dir, 'f.csv');
    writeFileSync(csv, 'program,source_row,nik,reasons\nPBI,3," 1501.0101-0101 0001",NAME_MISMATCH;REGION_MISMATCH\nPKH,4,1501010101010009,DECEASED\nPBI,5,1501010101010001,NAME_MISMATCH\n');
    const keys = await findingKeys(csv, 'nik', programs);
    expect([...keys].sort()).toEqual([
      ['PBI|1501010101010001|NAME_MISMATCH', 2],
      ['PBI|1501010101010001|REGION_MISMATCH', 1],
    ]);
  });
});
