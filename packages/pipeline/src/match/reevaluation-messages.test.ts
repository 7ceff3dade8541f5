import { describe, expect, it } from 'vitest';
import type { BaseResult } from '@padan/match-state';
import { REEVALUATE_CHUNK, reevaluationMessages } from './reevaluation-messages.js';

function base(period: string, row: number): BaseResult {
  return {
    key: `${period}/BST/bst.csv#${row}`, period, source: 'BST', file: 'bst.csv', row, runId: 'r', format: 'csv', nikRaw: '', nik: '', nikValid: false,
    nama: null, reasons: [], details: [], warnings: [], suggestedNik: null, householdId: null, regency: null, notChecked: [], family: null,
  };
}

describe('reevaluationMessages', () => {
  it('sends one message per partition and period (reevaluations of two periods processed together are lost)', () => {
    const out = reevaluationMessages(
      new Map([
        [0, [base('2021-09', 1), base('2021-10', 1), base('2021-09', 2), base('2021-09', 2)]],
        [2, [base('2021-10', 7)]],
      ]),
    );
    expect(out.map((m) => [m.partition, m.value.period, m.value.reevaluate])).toEqual([
      [0, '2021-09', ['2021-09/BST/bst.csv#1', '2021-09/BST/bst.csv#2']],
      [0, '2021-10', ['2021-10/BST/bst.csv#1']],
      [2, '2021-10', ['2021-10/BST/bst.csv#7']],
    ]);
  });

  it('keeps each message within REEVALUATE_CHUNK records, whatever one partition queued', () => {
    const bases: BaseResult[] = [];
    for (let row = 1; row <= 2 * REEVALUATE_CHUNK + 1; row++) bases.push(base('2021-09', row));
    const out = reevaluationMessages(new Map([[1, bases]]));
    expect(out.map((m) => m.value.reevaluate?.length)).toEqual([REEVALUATE_CHUNK, REEVALUATE_CHUNK, 1]);
    expect(out.map((m) => m.key)).toEqual(['reevaluate/2021-09/BST/bst.csv#1', `reevaluate/2021-09/BST/bst.csv#${REEVALUATE_CHUNK + 1}`, `reevaluate/2021-09/BST/bst.csv#${2 * REEVALUATE_CHUNK + 1}`]);
  });
});
