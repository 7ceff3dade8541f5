import { describe, expect, it } from 'vitest';
import { MismatchTally, NO_REGENCY, renderTally } from './tally.mjs';
import type { MismatchEvent } from './tally.mjs';

function event(row: number, regency: string | null, reasons: string[], period = '2021-09', program = 'PKH'): MismatchEvent {
  return { v: 1, period, program, file: 'pkh.csv', row, nikMasked: '1571********0001', nikHash: 'a'.repeat(64), outcome: reasons[0] as string, reasons, details: [], regency, hasSuggestion: false };
}

describe('MismatchTally', () => {
  it('counts records per period, regency, outcome and reason', () => {
    const t = new MismatchTally();
    t.apply(event(2, '1571', ['NOT_IN_DTKS']));
    t.apply(event(3, '1571', ['DECEASED', 'NAME_MISMATCH']));
    t.apply(event(4, '1501', ['DECEASED']));
    t.apply(event(5, null, ['INVALID_NIK']));
    t.apply(event(2, '1571', ['NOT_IN_DTKS'], '2021-10'));
    expect(t.periods()).toEqual(['2021-09', '2021-10']);
    const p = t.period('2021-09');
    expect(p?.flagged).toBe(4);
    expect(p?.byRegency.get('1571')?.flagged).toBe(2);
    expect(Object.fromEntries(p?.byRegency.get('1571')?.byOutcome ?? [])).toEqual({ NOT_IN_DTKS: 1, DECEASED: 1 });
    expect(p?.byRegency.get(NO_REGENCY)?.flagged).toBe(1);
    expect(Object.fromEntries(p?.byReason ?? [])).toEqual({ NOT_IN_DTKS: 1, DECEASED: 2, NAME_MISMATCH: 1, INVALID_NIK: 1 });
    expect(t.period('2021-10')?.flagged).toBe(1);
  });

  it('replaces a record\'s earlier finding with its latest, and counts a republished event once', () => {
    const t = new MismatchTally();
    expect(t.apply(event(2, '1571', ['NOT_IN_DTKS']))).toBe(true);
    expect(t.apply(event(2, '1571', ['NOT_IN_DTKS']))).toBe(false);
    // The record's finding changed (and it moved regency): only the latest counts.
    expect(t.apply(event(2, '1572', ['NAME_MISMATCH', 'REGION_MISMATCH']))).toBe(true);
    const p = t.period('2021-09');
    expect(p?.flagged).toBe(1);
    expect([...(p?.byRegency.keys() ?? [])]).toEqual(['1572']);
    expect(Object.fromEntries(p?.byReason ?? [])).toEqual({ NAME_MISMATCH: 1, REGION_MISMATCH: 1 });
    expect(t.records).toBe(1);
    expect(t.events).toBe(3);
  });

  it('tells records of other programs or files apart', () => {
    const t = new MismatchTally();
    t.apply(event(2, '1571', ['NOT_IN_DTKS'], '2021-09', 'PKH'));
    t.apply(event(2, '1571', ['NOT_IN_DTKS'], '2021-09', 'BST'));
    expect(t.period('2021-09')?.flagged).toBe(2);
  });

  it('renders a table per period with a column per outcome', () => {
    const t = new MismatchTally();
    t.apply(event(2, '1571', ['NOT_IN_DTKS']));
    t.apply(event(3, '1501', ['DECEASED']));
    t.refuse();
    expect(renderTally(t)).toBe(
      [
        'period 2021-09: 2 flagged records',
        'regency  flagged  DECEASED  NOT_IN_DTKS',
        '1501           1         1            0',
        '1571           1         0            1',
        'by reason (a record counts once per reason): DECEASED 1, NOT_IN_DTKS 1',
        '',
        '2 records from 2 events; 1 messages refused',
      ].join('\n'),
    );
  });
});
