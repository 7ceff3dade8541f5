import { describe, expect, it } from 'vitest';
import type { ArchiveReplayRequest, FileCompleted } from '@padan/contracts';
import { announcedPeriods, recordsDeleted, requestArchiveReplay } from './archive-replay-requests.js';
import type { ArchiveReplayPorts } from './archive-replay-requests.js';

const fc = (period: string, file: string) => ({ period, file }) as FileCompleted;

/** Ports on memory: one claim shared by the "instances", what was published. */
function ports(shared: { claimed: boolean; published: ArchiveReplayRequest[]; awaited?: string[] }, failPublish = false): ArchiveReplayPorts {
  return {
    claim: async () => !shared.claimed && (shared.claimed = true),
    release: async () => {
      shared.claimed = false;
    },
    announcedFiles: async () => [fc('2021-10', 'a'), fc('2021-09', 'b'), fc('2021-10', 'c')],
    awaitArchive: async (periods) => {
      shared.awaited?.push(...periods);
    },
    publish: async (requests) => {
      if (failPublish) throw new Error('broker down');
      for (const r of requests) shared.published.push(r);
    },
  };
}

describe('what a rebuild asks of the raw archive', () => {
  it('sees records deleted when a rewound partition starts above offset 0', () => {
    expect(recordsDeleted(new Map([[0, { low: 0, high: 10 }], [1, { low: 0, high: 0 }]]))).toBe(false);
    expect(recordsDeleted(new Map([[0, { low: 0, high: 10 }], [1, { low: 7, high: 7 }]]))).toBe(true);
    expect(recordsDeleted(new Map())).toBe(false);
  });

  it('asks for every announced period once, in order', () => {
    expect(announcedPeriods([fc('2021-10', 'a'), fc('2021-09', 'b'), fc('2021-10', 'c')])).toEqual(['2021-09', '2021-10']);
  });

  it('asks once per generation, whichever instance rewinds a partition that lost records', async () => {
    const shared = { claimed: false, published: [] as ArchiveReplayRequest[], awaited: [] as string[] };
    const lost = new Map([[2, { low: 5, high: 9 }]]);
    const g = { id: 'gen00001', kind: 'rebuild' } as const;
    expect(await requestArchiveReplay(g, new Map([[0, { low: 0, high: 9 }]]), ports(shared))).toBeNull();
    expect(await requestArchiveReplay({ ...g, kind: 'fresh' }, lost, ports(shared))).toBeNull();
    expect(await requestArchiveReplay(g, lost, ports(shared))).toEqual(['2021-09', '2021-10']);
    expect(await requestArchiveReplay(g, lost, ports(shared))).toBeNull();
    expect(shared.published).toEqual([
      { v: 1, period: '2021-09', generation: 'gen00001', reason: 'INPUT_PAST_RETENTION' },
      { v: 1, period: '2021-10', generation: 'gen00001', reason: 'INPUT_PAST_RETENTION' },
    ]);
    // Held on match's status from before the request on, until their rows are back.
    expect(shared.awaited).toEqual(['2021-09', '2021-10']);
  });

  it('gives the claim back when the requests cannot be published, so the retried rewind asks again', async () => {
    const shared = { claimed: false, published: [] as ArchiveReplayRequest[] };
    const g = { id: 'gen00001', kind: 'rebuild' } as const;
    const lost = new Map([[0, { low: 1, high: 1 }]]);
    await expect(requestArchiveReplay(g, lost, ports(shared, true))).rejects.toThrow('broker down');
    expect(shared.claimed).toBe(false);
    expect(await requestArchiveReplay(g, lost, ports(shared))).toHaveLength(2);
  });
});
