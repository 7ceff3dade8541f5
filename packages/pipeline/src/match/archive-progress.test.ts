import { describe, expect, it } from 'vitest';
import { MemoryMatchState } from '@padan/match-state';
import { archiveProgress } from './archive-progress.js';

describe("a period's rows coming back from the archive", () => {
  it('is complete once every announced DTKS and program row is in, each row counted once', async () => {
    const s = new MemoryMatchState();
    const P = '2021-09';
    expect(await archiveProgress(s, P)).toEqual({ seen: 0, want: 0, complete: false });
    await s.setDtksExpected(P, 'dtks.csv', 2);
    await s.setProgramExpected(P, 'PKH/pkh.csv', 3);
    await s.markDtksRowsSeen(P, 'dtks.csv', [0, 1]);
    await s.markProgramRowsSeen(P, 'PKH/pkh.csv', [0, 1, 1]);
    expect(await archiveProgress(s, P)).toEqual({ seen: 4, want: 5, complete: false });
    await s.markProgramRowsSeen(P, 'PKH/pkh.csv', [2]);
    expect(await archiveProgress(s, P)).toEqual({ seen: 5, want: 5, complete: true });
  });

  it('is not complete while the rows closing dropped are not back', async () => {
    const s = new MemoryMatchState();
    const P = '2021-09';
    await s.setDtksExpected(P, 'dtks.csv', 1);
    await s.markDtksRowsSeen(P, 'dtks.csv', [0]);
    await s.setProgramExpected(P, 'BST/bst.jsonl', 1);
    await s.markProgramRowsSeen(P, 'BST/bst.jsonl', [0]);
    await s.closePeriod(P);
    expect(await archiveProgress(s, P)).toEqual({ seen: 1, want: 2, complete: false });
  });
});
