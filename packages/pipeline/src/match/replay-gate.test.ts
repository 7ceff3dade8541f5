import { describe, expect, it } from 'vitest';
import type { FileCompleted, NormalizedBatch, NormalizedRecord, Source } from '@padan/contracts';
import { DEFAULT_PROGRAM_RULES, nameKey } from '@padan/core';
import { MatchStage } from './match-stage.js';
import { gateDtksRelease } from './replay-gate.js';
import { MemoryMatchState } from '@padan/match-state';

const P = '2021-09';

function rec(row: number, nik: string, nama: string): NormalizedRecord {
  return {
    row, nikRaw: nik, nik, nikInvalid: null, nikSex: 'L', nikBirthDate: null, noKk: null, nama, nameKey: nameKey(nama),
    birthDate: null, kodeWilayah: null, regency: null, householdId: 'H1', deceased: false, warnings: [],
  };
}

function batch(source: Source, file: string, records: NormalizedRecord[]): NormalizedBatch {
  return { v: 1, period: P, source, file, runId: 'r', format: 'csv', fields: ['nik', 'nama'], records };
}

const dtksDone: FileCompleted = {
  v: 1, period: P, source: 'DTKS', file: 'dtks.csv', runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 1,
  fields: ['nik', 'nama'], headerRow: 1, rowsRead: 2, rowsEmitted: 2, rowsRejected: 0,
};

describe('gateDtksRelease', () => {
  it('hides the DTKS release while the replay is not whole, and nothing else', async () => {
    const inner = new MemoryMatchState();
    await inner.setDtksExpected(P, 'dtks.csv', 3);
    let open = false;
    const gated = gateDtksRelease(inner, () => open);
    expect((await gated.dtksExpected(P)).size).toBe(0);
    expect(await gated.markDtksRowsSeen(P, 'dtks.csv', [1, 2])).toBe(2);
    await gated.setDtksExpected(P, 'dtks-2.csv', 4);
    open = true;
    expect(await gated.dtksExpected(P)).toEqual(new Map([['dtks.csv', 3], ['dtks-2.csv', 4]]));
  });

  it('makes the stage hold replayed program records, with a complete release, until the replay is whole; then they come out with the whole evidence', async () => {
    let open = false;
    const stage = new MatchStage(gateDtksRelease(new MemoryMatchState(), () => open), DEFAULT_PROGRAM_RULES);
    // The replay: the release, a BST record, and the PKH record of its family (another partition).
    await stage.onNormalized(batch('DTKS', 'dtks.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF'), rec(2, '1571015708850002', 'SITI AMINAH')]));
    expect((await stage.onFileCompleted(dtksDone)).results).toEqual([]);
    expect((await stage.onNormalized(batch('BST', 'bst.csv', [rec(1, '1571011505800001', 'MUHAMMAD YUSUF')]))).results).toEqual([]);
    expect((await stage.onNormalized(batch('PKH', 'pkh.csv', [rec(1, '1571015708850002', 'SITI AMINAH')]))).results).toEqual([]);
    expect((await stage.poll(P)).results).toEqual([]);
    open = true;
    const out = (await stage.poll(P)).results;
    // Released together, in one publish: the BST record's latest result has the conflict the PKH record brings.
    const bst = out.filter((r) => r.source === 'BST').sort((a, b) => b.seq - a.seq);
    expect(bst[0]?.reasons).toEqual(['PROGRAM_CONFLICT']);
    expect(out.some((r) => r.source === 'PKH')).toBe(true);
  });
});
