import { describe, expect, it } from 'vitest';
import type { BaseResult } from '@padan/match-state';
import { reevaluationMessages } from './reevaluation-messages.js';

function base(period: string, row: number): BaseResult {
  return {
    key: `${period}/BST/bst.csv#${row}`, period, source: 'BST', file: 'bst.csv', row, runId: 'r', format: 'csv', nikRaw: '', nik: '', nikValid: false,
    nama: null, reasons: [], details: [], warnings: [], suggestedNik: null, householdId: null, regency: null, notChecked: [], family: null,
  };
}

describe('reevaluationMessages', () => {
  it('sends one message per partition and period (reevaluations of two periods processed together are lost)', () => {
    const out = reevaluationMessages([
      { partition: 0, bases: [base('2021-09', 1), base('2021-10', 1), base('2021-09', 2), base('2021-09', 2)] },
      { partition: 2, bases: [base('2021-10', 7)] },
    ]);
    expect(out.map((m) => [m.partition, m.value.period, m.value.reevaluate])).toEqual([
      [0, '2021-09', ['2021-09/BST/bst.csv#1', '2021-09/BST/bst.csv#2']],
      [0, '2021-10', ['2021-10/BST/bst.csv#1']],
      [2, '2021-10', ['2021-10/BST/bst.csv#7']],
    ]);
  });
});
