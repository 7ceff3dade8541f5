import { describe, expect, it } from 'vitest';
import type { FileCompleted } from '@padan/contracts';
import { announcedPeriods, recordsDeleted } from './archive-replay-requests.js';

describe('what a rebuild asks of the raw archive', () => {
  it('sees records deleted when a rewound partition starts above offset 0', () => {
    expect(recordsDeleted(new Map([[0, { low: 0, high: 10 }], [1, { low: 0, high: 0 }]]))).toBe(false);
    expect(recordsDeleted(new Map([[0, { low: 0, high: 10 }], [1, { low: 7, high: 7 }]]))).toBe(true);
    expect(recordsDeleted(new Map())).toBe(false);
  });

  it('asks for every announced period once, in order', () => {
    const fc = (period: string, file: string) => ({ period, file }) as FileCompleted;
    expect(announcedPeriods([fc('2021-10', 'a'), fc('2021-09', 'b'), fc('2021-10', 'c')])).toEqual(['2021-09', '2021-10']);
  });
});
