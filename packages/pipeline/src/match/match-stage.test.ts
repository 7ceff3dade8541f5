import { describe, expect, it } from 'vitest';
import type { FileCompleted, NormalizedBatch, NormalizedRecord, Source } from '@padan/contracts';
import { DEFAULT_PROGRAM_RULES, nameKey } from '@padan/core';
import { MatchStage } from './match-stage.js';
import type { ReleaseClaim } from './match-stage.js';
import { MemoryMatchState } from '@padan/match-state';
import { batch, dtks, dtksDone, P, rec } from '../../test-support/match-fixtures.js';

describe('MatchStage', () => {
  it('holds program records until the DTKS release is complete: no false NOT_IN_DTKS', async () => {
    const stage = new MatchStage(new MemoryMatchState(), DEFAULT_PROGRAM_RULES);
    expect((await stage.onNormalized(batch('PKH', 'pkh.csv', [rec(1, '1571011505800001', 'M. YUSUF')]))).results).toEqual([]);
    await stage.onNormalized(dtks);
    const released = (await stage.onFileCompleted(dtksDone)).results;
    expect(released.map((r) => [r.source, r.row, r.outcome])).toEqual([['PKH', 1, null]]);
  });

  it('re-emits a BST record with PROGRAM_CONFLICT when a PKH record of its family arrives later, with a higher seq', async () => {
    const stage = new MatchStage(new MemoryMatchState(), DEFAULT_PROGRAM_RULES);
    await stage.onNormalized(dtks);
    await stage.onFileCompleted(dtksDone);
    const [bst] = (await stage.onNormalized(batch('BST', 'bst.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF')]))).results;
    expect(bst?.outcome).toBeNull();
    const out = (await stage.onNormalized(batch('PKH', 'pkh.csv', [rec(1, '1571015708850002', 'SITI AMINAH')]))).results;
    const again = out.find((r) => r.source === 'BST');
    expect(again?.reasons).toEqual(['PROGRAM_CONFLICT']);
    expect(again!.seq).toBeGreaterThan(bst!.seq);
  });

  it('keeps held batches until acknowledged: a restart before publishing reconciles them again', async () => {
    const state = new MemoryMatchState();
    const first = new MatchStage(state, DEFAULT_PROGRAM_RULES);
    await first.onNormalized(batch('PKH', 'pkh.csv', [rec(1, '1571011505800001', 'M. YUSUF')]));
    await first.onNormalized(dtks);
    expect((await first.onFileCompleted(dtksDone)).results).toHaveLength(1);
    // The process dies before publishing those results (no acknowledge): a new instance finds them.
    const second = new MatchStage(state, DEFAULT_PROGRAM_RULES);
    const again = await second.poll(P);
    expect(again.results.map((r) => [r.source, r.row])).toEqual([['PKH', 1]]);
    await second.acknowledge(again.acks);
    expect((await new MatchStage(state, DEFAULT_PROGRAM_RULES).poll(P)).results).toEqual([]);
  });
});

describe('MatchStage redelivery', () => {
  it('a batch delivered again after a crash re-emits the results its evidence changed', async () => {
    const state = new MemoryMatchState();
    const stage = new MatchStage(state, DEFAULT_PROGRAM_RULES);
    await stage.onNormalized(dtks);
    await stage.onFileCompleted(dtksDone);
    await stage.onNormalized(batch('BST', 'bst.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF')]));
    const pkh = batch('PKH', 'pkh.csv', [rec(1, '1571015708850002', 'SITI AMINAH')]);
    const first = (await stage.onNormalized(pkh)).results;
    // Suppose the process died before publishing `first`: the batch comes again.
    const again = await new MatchStage(state, DEFAULT_PROGRAM_RULES).onNormalized(pkh);
    const bst = again.results.find((r) => r.source === 'BST');
    expect(bst?.reasons).toEqual(['PROGRAM_CONFLICT']);
    expect(bst).toEqual(first.find((r) => r.source === 'BST'));
  });
});

describe('MatchStage with owners (distributed)', () => {
  it('queues a record changed by another partition\'s evidence for its owner, who recomputes it', async () => {
    const state = new MemoryMatchState();
    // Partition = program, for the test: BST records live on partition 1, PKH on 0.
    const owner = (b: { source: string }) => (b.source === 'BST' ? 1 : 0);
    const onBst = new MatchStage(state, DEFAULT_PROGRAM_RULES, { owner });
    const onPkh = new MatchStage(state, DEFAULT_PROGRAM_RULES, { owner });
    await onBst.onNormalized(dtks);
    await onBst.onFileCompleted(dtksDone);
    const [bst] = (await onBst.onNormalized(batch('BST', 'bst.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF')]))).results;
    expect(bst?.outcome).toBeNull();
    const pkhOut = await onPkh.onNormalized(batch('PKH', 'pkh.csv', [rec(1, '1571015708850002', 'SITI AMINAH')]));
    // The PKH instance does not write the BST record's result: it asks partition 1 to.
    expect(pkhOut.results.map((r) => r.source)).toEqual(['PKH']);
    const queued = [...pkhOut.reevaluations].map(([partition, bases]) => [partition, bases.map((b) => b.key)] as const);
    expect(queued).toEqual([[1, [`${P}/BST/bst.csv#1`]]]);
    const again = (await onBst.onNormalized({ ...batch('BST', 'bst.csv', []), fields: [], reevaluate: [...queued[0]![1]] })).results;
    expect(again.map((r) => [r.source, r.reasons])).toEqual([['BST', ['PROGRAM_CONFLICT']]]);
    expect(again[0]!.seq).toBeGreaterThan(bst!.seq);
  });
});

describe('MatchStage with a held backlog larger than the call stack (issue 6, defect 1)', () => {
  it('held_backlog_over_stack_limit: 130 k held program records are released by the last DTKS batch', async () => {
    const stage = new MatchStage(new MemoryMatchState(), DEFAULT_PROGRAM_RULES);
    // The release is announced first (distributed: padan.files.v1 may overtake the last rows).
    await stage.onFileCompleted(dtksDone);
    for (let b = 0; b < 65; b++) {
      const records = Array.from({ length: 2000 }, (_, i) => rec(b * 2000 + i + 1, `157102${String(1 + (i % 28)).padStart(2, '0')}0180${String(b + 1).padStart(2, '0')}${String(1 + Math.floor(i / 28)).padStart(2, '0')}`, 'SITI'));
      expect((await stage.onNormalized(batch('PKH', 'pkh.csv', records))).results).toEqual([]);
    }
    // The DTKS rows complete the release: every held record comes out of this one call.
    const out = (await stage.onNormalized(dtks)).results;
    expect(out.filter((r) => r.source === 'PKH')).toHaveLength(130_000);
  }, 120_000);
  it('releases a held backlog a page at a time: no release returns more than a page of batches, and every record comes out once paged through', async () => {
    const stage = new MatchStage(new MemoryMatchState(), DEFAULT_PROGRAM_RULES, { heldPage: 2 });
    for (let i = 1; i <= 5; i++) await stage.onNormalized(batch('PKH', 'pkh.csv', [rec(i, '1571011505800001', 'M. YUSUF')]));
    await stage.onNormalized(dtks);
    const pages: number[][] = [];
    let page = await stage.onFileCompleted(dtksDone);
    for (;;) {
      // Each result of a page is the page's own batch or a re-emission it causes, never a later batch.
      pages.push([...new Set(page.results.filter((r) => r.source === 'PKH').map((r) => r.row))].sort());
      await stage.acknowledge(page.acks);
      if (!page.heldPending.has(P)) break;
      page = await stage.poll(P);
    }
    expect(pages.map((p) => p.length <= 2)).not.toContain(false);
    expect(new Set(pages.flat())).toEqual(new Set([1, 2, 3, 4, 5]));
    const last = await stage.poll(P);
    expect(last.results).toEqual([]);
    expect(last.heldPending.size).toBe(0);
  });
});

/** One claim shared by the instances of a test, as the Redis key is shared by the services. */
class SharedClaim {
  holder = new Map<string, string>();
  as(name: string): ReleaseClaim {
    return {
      take: async (period) => {
        const h = this.holder.get(period);
        if (h !== undefined && h !== name) return false;
        this.holder.set(period, name);
        return true;
      },
      give: async (period) => {
        if (this.holder.get(period) === name) this.holder.delete(period);
      },
    };
  }
}

describe('MatchStage release claim (distributed)', () => {
  it('one instance at a time releases a period\'s held batches: the other gets nothing until the page is acknowledged', async () => {
    const state = new MemoryMatchState();
    const claim = new SharedClaim();
    const a = new MatchStage(state, DEFAULT_PROGRAM_RULES, { releaseClaim: claim.as('a') });
    const b = new MatchStage(state, DEFAULT_PROGRAM_RULES, { releaseClaim: claim.as('b') });
    await a.onNormalized(batch('PKH', 'pkh.csv', [rec(1, '1571011505800001', 'M. YUSUF')]));
    await a.onNormalized(dtks);
    const released = await a.onFileCompleted(dtksDone);
    expect(released.results).toHaveLength(1);
    // a holds the claim until it has published and acknowledged: b's poll releases nothing, and
    // the batch is still held (a status read now says so).
    expect((await b.poll(P)).results).toEqual([]);
    expect(await state.peekHeld(P, 1)).toHaveLength(1);
    await a.acknowledge(released.acks);
    expect(claim.holder.has(P)).toBe(false);
    expect(await state.peekHeld(P, 1)).toHaveLength(0);
    expect((await b.poll(P)).results).toEqual([]);
    // Nothing held: b's poll took the claim and gave it back at once.
    expect(claim.holder.has(P)).toBe(false);
  });

  it('an instance that died holding the claim (never acknowledged) leaves the batch held for whoever takes the claim next', async () => {
    const state = new MemoryMatchState();
    const claim = new SharedClaim();
    const a = new MatchStage(state, DEFAULT_PROGRAM_RULES, { releaseClaim: claim.as('a') });
    await a.onNormalized(batch('PKH', 'pkh.csv', [rec(1, '1571011505800001', 'M. YUSUF')]));
    await a.onNormalized(dtks);
    expect((await a.onFileCompleted(dtksDone)).results).toHaveLength(1);
    // a dies; its claim expires (Redis PX) — here, removed by hand.
    claim.holder.delete(P);
    const b = new MatchStage(state, DEFAULT_PROGRAM_RULES, { releaseClaim: claim.as('b') });
    const out = await b.poll(P);
    expect(out.results.map((r) => [r.source, r.row])).toEqual([['PKH', 1]]);
    await b.acknowledge(out.acks);
    expect(await state.peekHeld(P, 1)).toHaveLength(0);
  });
});

