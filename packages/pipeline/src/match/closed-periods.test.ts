import { describe, expect, it } from 'vitest';
import type { ArchiveReplayRequest } from '@padan/contracts';
import { MemoryMatchState } from '@padan/match-state';
import { ensureNotClosed, PeriodClosedDuringChunkError, reopenClosedPeriods } from './closed-periods.js';

describe('a record for a closed period', () => {
  it('reopens the period once, whichever instance meets it first, and asks for its archive', async () => {
    const state = new MemoryMatchState();
    await state.closePeriod('2021-09');
    const published: ArchiveReplayRequest[] = [];
    const publish = async (r: readonly ArchiveReplayRequest[]) => void published.push(...r);
    expect(await reopenClosedPeriods(state, ['2021-09', '2021-10', '2021-09'], 'gen00001', publish)).toEqual(['2021-09']);
    // The second instance (same state) finds it open: nothing asked twice.
    expect(await reopenClosedPeriods(state, ['2021-09'], 'gen00001', publish)).toEqual([]);
    expect(published).toEqual([{ v: 1, period: '2021-09', generation: 'gen00001', reason: 'PERIOD_REOPENED' }]);
    expect(await state.closedPeriods(['2021-09'])).toEqual([]);
  });

  it('closes the period again when the request cannot be published, so the retry asks again', async () => {
    const state = new MemoryMatchState();
    await state.closePeriod('2021-09');
    await expect(reopenClosedPeriods(state, ['2021-09'], 'g', async () => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
    expect(await state.closedPeriods(['2021-09'])).toEqual(['2021-09']);
    const published: ArchiveReplayRequest[] = [];
    expect(await reopenClosedPeriods(state, ['2021-09'], 'g', async (r) => void published.push(...r))).toEqual(['2021-09']);
    expect(published).toHaveLength(1);
  });

  it('refuses to publish a chunk whose period was closed while it ran', async () => {
    const state = new MemoryMatchState();
    await expect(ensureNotClosed(state, ['2021-09'])).resolves.toBeUndefined();
    await state.closePeriod('2021-09');
    await expect(ensureNotClosed(state, ['2021-10', '2021-09'])).rejects.toBeInstanceOf(PeriodClosedDuringChunkError);
  });
});
