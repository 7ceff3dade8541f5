import { describe, expect, it } from 'vitest';
import type { FileCompleted, MatchResult, NormalizedBatch, NormalizedRecord, Source } from '@padan/contracts';
import { recordKey } from '@padan/contracts';
import { DEFAULT_PROGRAM_RULES, nameKey } from '@padan/core';
import { MatchStage } from './match-stage.js';
import { MemoryMatchState } from '@padan/match-state';
import type { MatchState } from '@padan/match-state';

/**
 * The stage's promise, checked on random months full of repeats: whatever the arrival order, batch
 * sizes and crashes (a batch whose results are lost and which is delivered again), the latest result
 * per record (highest seq) is the same as in one orderly run, and two results of one record with
 * equal seq are equal (so which one a consumer keeps does not matter).
 */
const P = '2021-09';
const NAMES = ['MUHAMMAD YUSUF', 'M. YUSUF', 'SITI AMINAH', 'SITI AMINA', 'BUDI SANTOSO', ''];

/** mulberry32: a small PRNG whose low bits are as random as its high ones. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function rec(row: number, nik: string, nama: string, birthDate: string | null, householdId: string | null, noKk: string | null): NormalizedRecord {
  return {
    row, nikRaw: nik, nik, nikInvalid: null, nikSex: 'L', nikBirthDate: null, noKk, nama: nama || null, nameKey: nama ? nameKey(nama) : null,
    birthDate, kodeWilayah: null, regency: null, householdId, deceased: householdId === null ? null : false, warnings: [],
  };
}

interface File { source: Source; file: string; records: NormalizedRecord[] }

function month(seed: number): File[] {
  const r = rng(seed);
  const nik = (i: number) => `15710101018${String(10000 + i).slice(1)}`;
  const files: File[] = [];
  // One DTKS file: match knows a release is complete only from the files announced so far.
  for (const f of ['dtks.csv']) {
    const records: NormalizedRecord[] = [];
    for (let row = 1; row <= 50; row++) {
      const i = r(12);
            // Mostly one person per NIK (SAME_PERSON groups), sometimes another name or birth date.
      const nama = NAMES[r(8) === 0 ? r(NAMES.length) : i % 4]!;
      const birthDate = r(4) === 0 ? null : r(10) === 0 ? '1999-09-09' : `1980-01-0${1 + (i % 2)}`;
      records.push(rec(row, nik(i), nama, birthDate, `H${i % 6}`, `KK${i % 6}`));
    }
    files.push({ source: 'DTKS', file: f, records });
  }
  for (const source of ['PKH', 'BST', 'SEMBAKO'] as const) {
    for (const f of [`${source.toLowerCase()}-1.csv`, `${source.toLowerCase()}-2.csv`]) {
      const records: NormalizedRecord[] = [];
      for (let row = 1; row <= 20; row++) {
        const i = r(16);
        records.push(rec(row, nik(i), NAMES[i % 4]!, '1980-01-01', null, r(3) === 0 ? `KK${i % 6}` : null));
      }
      files.push({ source, file: f, records });
    }
  }
  return files;
}

function batches(files: File[], r: (n: number) => number, shuffle: boolean): NormalizedBatch[] {
  const out: NormalizedBatch[] = [];
  for (const f of files) {
    const rows = [...f.records];
    if (shuffle) for (let i = rows.length - 1; i > 0; i--) { const j = r(i + 1); [rows[i], rows[j]] = [rows[j]!, rows[i]!]; }
    const size = shuffle ? 1 + r(7) : rows.length;
    for (let i = 0; i < rows.length; i += size) {
      out.push({ v: 1, period: P, source: f.source, file: f.file, runId: 'r', format: 'csv', fields: ['nik', 'nama'], records: rows.slice(i, i + size) });
    }
  }
  if (shuffle) for (let i = out.length - 1; i > 0; i--) { const j = r(i + 1); [out[i], out[j]] = [out[j]!, out[i]!]; }
  return out;
}

function completed(f: File): FileCompleted {
  return {
    v: 1, period: P, source: f.source, file: f.file, runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 1,
    fields: ['nik', 'nama'], headerRow: 1, rowsRead: f.records.length, rowsEmitted: f.records.length, rowsRejected: 0,
  };
}

/** Runs the month; with `r`, shuffled, split and with crashes. Returns the latest result per key. */
async function run(files: File[], r: ((n: number) => number) | null): Promise<Map<string, MatchResult>> {
  const state: MatchState = new MemoryMatchState();
  const latest = new Map<string, MatchResult>();
  const publish = (results: readonly MatchResult[]) => {
    for (const x of results) {
      const key = recordKey(x, x.row);
      const seen = latest.get(key);
      if (seen && seen.seq === x.seq) expect(x, `two results of ${key} with seq ${x.seq}`).toEqual(seen);
      if (!seen || seen.seq <= x.seq) latest.set(key, x);
    }
  };
  const events: (NormalizedBatch | FileCompleted)[] = batches(files, r ?? (() => 0), r !== null);
  for (const f of files) if (f.source === 'DTKS') events.push(completed(f));
  if (r) for (let i = events.length - 1; i > 0; i--) { const j = r(i + 1); [events[i], events[j]] = [events[j]!, events[i]!]; }
  else events.sort((a, b) => Number('records' in b && b.source === 'DTKS') - Number('records' in a && a.source === 'DTKS'));
  for (const e of events) {
    const handle = async (stage: MatchStage) => ('records' in e ? stage.onNormalized(e) : stage.onFileCompleted(e));
    if (r && r(4) === 0) await handle(new MatchStage(state, DEFAULT_PROGRAM_RULES)); // crashed before publishing
    const stage = new MatchStage(state, DEFAULT_PROGRAM_RULES);
    const out = await handle(stage);
    publish(out.results);
    await stage.acknowledge(out.acks);
  }
  return latest;
}

describe('MatchStage: the latest result per record does not depend on order, batching or crashes', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`random month ${seed}`, async () => {
      const files = month(seed);
      const reference = await run(files, null);
      expect(reference.size).toBe(files.reduce((n, f) => n + f.records.length, 0));
      for (let trial = 0; trial < 6; trial++) {
        const got = await run(files, rng(seed * 100 + trial));
        const strip = (m: Map<string, MatchResult>) => new Map([...m].map(([k, v]) => [k, { ...v, seq: 0 }]));
        expect(strip(got)).toEqual(strip(reference));
      }
    });
  }
});
