import { describe, expect, it } from 'vitest';
import type { ArchiveReplayRequest } from '@padan/contracts';
import { MemoryMatchState } from '@padan/match-state';
import { ensureNotClosed, PeriodBeingReopenedError, PeriodClosedDuringChunkError, reopenClosedPeriods } from './closed-periods.js';
import type { ReopenPorts } from './closed-periods.js';

/** Two "instances" on one state: a shared claim per period (held by `holder`), what was awaited and published. */
function instance(state: MemoryMatchState, shared: { claims: Map<string, string>; awaited: string[]; published: ArchiveReplayRequest[] }, holder: string, failPublish = false): ReopenPorts {
  return {
    state,
    claim: async (period) => {
      const cur = shared.claims.get(period);
      if (cur !== undefined && cur !== holder) return false;
      shared.claims.set(period, holder);
      return true;
    },
    awaitArchive: async (periods) => void shared.awaited.push(...periods),
    publish: async (r) => {
      if (failPublish) throw new Error('broker down');
      shared.published.push(...r);
    },
  };
}

describe('a record for a closed period', () => {
  it('reopens the period once, whichever instance meets it first: awaited, asked for from the archive, then open', async () => {
    const state = new MemoryMatchState();
    await state.closePeriod('2021-09');
    const shared = { claims: new Map<string, string>(), awaited: [] as string[], published: [] as ArchiveReplayRequest[] };
    expect(await reopenClosedPeriods(instance(state, shared, 'a'), ['2021-09', '2021-10', '2021-09'], 'gen00001')).toEqual(['2021-09']);
    // The other instance finds it open: nothing asked twice.
    expect(await reopenClosedPeriods(instance(state, shared, 'b'), ['2021-09'], 'gen00001')).toEqual([]);
    expect(shared.published).toEqual([{ v: 1, period: '2021-09', generation: 'gen00001', reason: 'PERIOD_REOPENED' }]);
    expect(shared.awaited).toEqual(['2021-09']);
    expect(await state.closedPeriods(['2021-09'])).toEqual([]);
  });

  it('makes another instance wait while one holds the claim, and keeps the period closed until the request is out', async () => {
    const state = new MemoryMatchState();
    await state.closePeriod('2021-09');
    const shared = { claims: new Map<string, string>(), awaited: [] as string[], published: [] as ArchiveReplayRequest[] };
    // Instance a takes the claim and fails to publish: the period stays closed, the claim a's.
    await expect(reopenClosedPeriods(instance(state, shared, 'a', true), ['2021-09'], 'g')).rejects.toThrow('broker down');
    expect(await state.closedPeriods(['2021-09'])).toEqual(['2021-09']);
    // Instance b must not reconcile against the dropped evidence: its chunk fails and is retried.
    await expect(reopenClosedPeriods(instance(state, shared, 'b'), ['2021-09'], 'g')).rejects.toBeInstanceOf(PeriodBeingReopenedError);
    // a's retry reopens it.
    expect(await reopenClosedPeriods(instance(state, shared, 'a'), ['2021-09'], 'g')).toEqual(['2021-09']);
    expect(shared.published).toHaveLength(1);
  });

  it('refuses to publish a chunk whose period was closed while it ran', async () => {
    const state = new MemoryMatchState();
    await expect(ensureNotClosed(state, ['2021-09'])).resolves.toBeUndefined();
    await state.closePeriod('2021-09');
    await expect(ensureNotClosed(state, ['2021-10', '2021-09'])).rejects.toBeInstanceOf(PeriodClosedDuringChunkError);
  });
});
