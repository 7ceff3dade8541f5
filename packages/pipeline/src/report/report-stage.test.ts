import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packResults } from '@padan/contracts';
import type { FileCompleted, MatchResult, MismatchEvent, RejectedRow } from '@padan/contracts';
import { FolderObjectStore } from '@padan/runtime';
import { EVENT_CHUNK } from './published-findings.js';
import { ReportStage } from './report-stage.js';
import { SNAPSHOT_FILES, snapshotFilePath } from './snapshot-layout.js';

const PERIOD = '2021-09';
const FILES = [
  { source: 'DTKS', file: 'dtks.csv', rows: 3000 },
  { source: 'PKH', file: 'pkh.csv', rows: 2500 },
  { source: 'BST', file: 'bst.jsonl', rows: 1500 },
] as const;
const REJECTED_EVERY = 97;

function completed(source: (typeof FILES)[number]['source'], file: string, rows: number): FileCompleted {
  return { v: 1, period: PERIOD, source, file, runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 10, fields: ['nik'], headerRow: 1, rowsRead: rows, rowsEmitted: rows, rowsRejected: 0 };
}

function result(source: (typeof FILES)[number]['source'], file: string, row: number, seq: number, flagged: boolean): MatchResult {
  const nik = String(1571011505800000 + row);
  return {
    v: 1,
    period: PERIOD,
    source,
    file,
    runId: 'r',
    format: 'csv',
    row,
    seq,
    nikRaw: nik,
    nik,
    nama: `NAMA ${row}`,
    outcome: flagged ? 'NOT_IN_DTKS' : null,
    reasons: flagged ? ['NOT_IN_DTKS'] : [],
    details: flagged ? [`seq ${seq}`] : [],
    warnings: row % 5 === 0 ? ['STATUS_UNKNOWN'] : [],
    suggestedNik: flagged && row % 3 === 0 ? nik : null,
    householdId: null,
    regency: row % 2 === 0 ? '1571' : '1501',
    notChecked: row % 7 === 0 ? ['BIRTHDATE'] : [],
  };
}

function rejected(source: (typeof FILES)[number]['source'], file: string, row: number): RejectedRow {
  return { v: 1, period: PERIOD, source, file, runId: 'r', format: 'csv', row, reason: 'RAGGED_ROW', message: 'ragged', raw: `raw ${row}` };
}

/**
 * Every row of the files gets a first result, then about a third get later ones (higher seq,
 * sometimes turning clean or flagged), some are redelivered with an equal or lower seq, and every
 * REJECTED_EVERY-th row is a dead letter instead. Deterministic, in batches of `batch`.
 */
function* traffic(batch: number): Generator<{ results: MatchResult[]; rejected: RejectedRow[] }> {
  let results: MatchResult[] = [];
  let dead: RejectedRow[] = [];
  for (let pass = 0; pass < 3; pass++) {
    for (const f of FILES) {
      for (let row = 1; row <= f.rows; row++) {
        if (row % REJECTED_EVERY === 0) {
          if (pass !== 1) dead.push(rejected(f.source, f.file, row));
        } else if (pass === 0 || row % (pass + 2) === 0) {
          // Pass 2 sends some rows an older seq again: it must not win.
          const seq = pass === 2 && row % 4 === 0 ? 1 : pass + 1;
          results.push(result(f.source, f.file, row, seq, (row + pass) % 4 === 0));
        }
        if (results.length + dead.length >= batch) {
          yield { results, rejected: dead };
          results = [];
          dead = [];
        }
      }
    }
  }
  yield { results, rejected: dead };
}

async function feed(stage: ReportStage, batch: number, onEach: () => void = () => {}): Promise<void> {
  for (const f of FILES) stage.onFileCompleted(completed(f.source, f.file, f.rows));
  for (const t of traffic(batch)) {
    await stage.onResults(t.results);
    await stage.onRejected(t.rejected);
    onEach();
  }
}

async function snapshotFiles(stage: ReportStage): Promise<Record<string, string>> {
  const root = mkdtempSync(join(tmpdir(), 'report-stage-store-'));
  const a = await stage.snapshot({ period: PERIOD, date: '2021-09-30', rules: { version: 'v', sha256: 'x' }, regencyName: () => 'X', padanVersion: 't' }, new FolderObjectStore(root));
  const dir = join(root, a.prefix);
  const out: Record<string, string> = {};
  // By file name, whatever subfolder (restricted/, dashboard/); the manifest without when it was written.
  for (const path of SNAPSHOT_FILES.map(snapshotFilePath).sort((x, y) => x.split('/').pop()!.localeCompare(y.split('/').pop()!))) {
    const text = readFileSync(join(dir, path));
    const name = path.split('/').pop()!;
    out[name] = (name === 'manifest.json' ? Buffer.from(JSON.stringify({ ...JSON.parse(text.toString('utf8')), created_at: null })) : text).toString('base64');
  }
  return out;
}

function stageWith(spillRows: number): { stage: ReportStage; parent: string } {
  const parent = mkdtempSync(join(tmpdir(), 'report-stage-'));
  return { stage: new ReportStage({ workDir: parent, spillRows }), parent };
}

describe('report stage on spilled runs', () => {
  it('holds at most the spill bound in memory, whatever the number of results', async () => {
    const bound = 1000;
    const { stage } = stageWith(bound);
    let most = 0;
    let calls = 0;
    await feed(stage, 100, () => {
      most = Math.max(most, stage.store.held);
      calls++;
    });
    // More than ten times the bound went through; after each call fewer than `bound` are held.
    expect(calls * 100).toBeGreaterThan(10 * bound);
    expect(most).toBeLessThan(bound);
    const status = stage.status(PERIOD);
    expect(status.complete).toBe(true);
    await stage.close();
  });

  it('writes the same snapshot bytes with many spills as with everything in memory', async () => {
    const small = stageWith(1000);
    const huge = stageWith(10_000_000);
    await feed(small.stage, 100);
    await feed(huge.stage, 100);
    expect((await small.stage.store.runsOf(PERIOD)).results.runCount).toBeGreaterThan(1);
    expect((await huge.stage.store.runsOf(PERIOD)).results.runCount).toBe(0);
    const a = await snapshotFiles(small.stage);
    const b = await snapshotFiles(huge.stage);
    expect(Object.keys(a)).toEqual(['findings.csv', 'findings.parquet', 'findings.xlsx', 'manifest.json', 'rejected.jsonl', 'summary.json']);
    expect(a).toEqual(b);

    // The counts agree with the accounting: every row is clean, flagged or rejected once.
    const summary = JSON.parse(Buffer.from(a['summary.json'] as string, 'base64').toString('utf8'));
    for (const f of summary.files) expect(f.rows_read).toBe(f.clean + f.flagged + f.rejected);
    const findings = Buffer.from(a['findings.csv'] as string, 'base64').toString('utf8').trim().split('\n');
    expect(findings.length - 1).toBe(summary.totals.flagged);
    const dead = Buffer.from(a['rejected.jsonl'] as string, 'base64').toString('utf8').trim().split('\n');
    expect(dead.length).toBe(summary.totals.rejected);
    await small.stage.close();
    await huge.stage.close();
  });

  it('counts clean rows in the summary as the latest results say, though only flagged ones are spilled', async () => {
    // The traffic turns rows flagged → clean (rows 12, 24, …), clean → flagged and clean → clean;
    // the expected counts come from a plain map of every row's latest result.
    const latest = new Map<string, MatchResult>();
    for (const t of traffic(100)) {
      for (const r of t.results) {
        const k = `${r.source}/${r.row}`;
        const had = latest.get(k);
        if (!had || had.seq < r.seq) latest.set(k, r);
      }
    }
    const expected: Record<string, { clean: number; flagged: number; warnings: Record<string, number>; notChecked: Record<string, number>; regencies: Record<string, [number, number]> }> = {};
    for (const r of latest.values()) {
      const p = (expected[r.source] ??= { clean: 0, flagged: 0, warnings: {}, notChecked: {}, regencies: {} });
      if (r.outcome === null) p.clean++;
      else p.flagged++;
      for (const w of r.warnings) p.warnings[w] = (p.warnings[w] ?? 0) + 1;
      for (const c of r.notChecked) p.notChecked[c] = (p.notChecked[c] ?? 0) + 1;
      const g = (p.regencies[r.regency ?? ''] ??= [0, 0]);
      g[0]++;
      if (r.outcome !== null) g[1]++;
    }

    const { stage } = stageWith(1000);
    await feed(stage, 100);
    const files = await snapshotFiles(stage);
    const summary = JSON.parse(Buffer.from(files['summary.json'] as string, 'base64').toString('utf8'));
    const got: typeof expected = {};
    for (const p of summary.programs) got[p.program] = { clean: p.clean, flagged: p.flagged, warnings: p.warnings, notChecked: Object.fromEntries(Object.entries(p.not_checked as Record<string, number>).filter(([, n]) => n !== 0)), regencies: {} };
    for (const r of summary.regencies) (got[r.program] as (typeof expected)[string]).regencies[r.regency_code] = [r.records, r.flagged];
    expect(got).toEqual(expected);
    await stage.close();
  });

  it('writes the same snapshot bytes from result batches (clean tuples counted unpacked) as from single results', async () => {
    const single = stageWith(1000);
    const batched = stageWith(1000);
    await feed(single.stage, 100);
    for (const f of FILES) batched.stage.onFileCompleted(completed(f.source, f.file, f.rows));
    for (const t of traffic(100)) {
      await batched.stage.onResultBatches(packResults(t.results, 7));
      await batched.stage.onRejected(t.rejected);
    }
    expect(await snapshotFiles(batched.stage)).toEqual(await snapshotFiles(single.stage));
    await single.stage.close();
    await batched.stage.close();
  });

  it('publishes each flagged record once, in chunks, and again only when its finding changes', async () => {
    const { stage } = stageWith(1000);
    await feed(stage, 100);
    const chunks: MismatchEvent[][] = [];
    const publish = async (events: readonly MismatchEvent[]): Promise<void> => void chunks.push(events.slice());
    const first = await stage.publishEvents(PERIOD, 'k', publish);
    expect(first).toBe(stage.status(PERIOD).files.reduce((n, f) => n + f.flagged, 0));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(EVENT_CHUNK);
    const keys = chunks.flat().map((e) => `${e.program}/${e.file}#${e.row}`);
    expect(new Set(keys).size).toBe(keys.length);

    // Nothing changed: nothing published (and no merge run).
    chunks.length = 0;
    expect(await stage.publishEvents(PERIOD, 'k', publish)).toBe(0);

    // One record's finding changes (higher seq, new details), another is redelivered unchanged.
    await stage.onResults([result('PKH', 'pkh.csv', 4, 9, true), result('PKH', 'pkh.csv', 8, 1, true)]);
    expect(await stage.publishEvents(PERIOD, 'k', publish)).toBe(1);
    expect(chunks.flat().map((e) => [e.program, e.row, e.details])).toEqual([['PKH', 4, ['seq 9']]]);
    await stage.close();
  });

  it('publishes nothing for a record turned clean, and nothing again when it is flagged the same way after', async () => {
    const { stage } = stageWith(1000);
    await feed(stage, 100);
    const chunks: MismatchEvent[][] = [];
    const publish = async (events: readonly MismatchEvent[]): Promise<void> => void chunks.push(events.slice());
    await stage.publishEvents(PERIOD, 'k', publish);
    const flagged = stage.status(PERIOD).files.reduce((n, f) => n + f.flagged, 0);
    // PKH row 4 is flagged (seq 1, details "seq 1"); a clean result replaces it, so only a marker is spilled.
    chunks.length = 0;
    await stage.onResults([result('PKH', 'pkh.csv', 4, 5, false)]);
    expect(stage.status(PERIOD).files.reduce((n, f) => n + f.flagged, 0)).toBe(flagged - 1);
    expect(await stage.publishEvents(PERIOD, 'k', publish)).toBe(0);
    const files = await snapshotFiles(stage);
    const findings = Buffer.from(files['findings.csv'] as string, 'base64').toString('utf8').trim().split('\n');
    expect(findings.length - 1).toBe(flagged - 1);
    // Flagged again with the finding published before: its signature was kept, no new event.
    const again = result('PKH', 'pkh.csv', 4, 6, true);
    await stage.onResults([{ ...again, details: ['seq 1'] }]);
    expect(await stage.publishEvents(PERIOD, 'k', publish)).toBe(0);
    expect(stage.status(PERIOD).files.reduce((n, f) => n + f.flagged, 0)).toBe(flagged);
    await stage.close();
  });

  it('publishes again what a failed publication did not, and forgets nothing', async () => {
    const { stage } = stageWith(1000);
    await feed(stage, 100);
    let calls = 0;
    await expect(
      stage.publishEvents(PERIOD, 'k', async () => {
        if (++calls === 2) throw new Error('broker down');
      }),
    ).rejects.toThrow('broker down');
    const n = await stage.publishEvents(PERIOD, 'k', async () => {});
    expect(n).toBe(stage.status(PERIOD).files.reduce((s, f) => s + f.flagged, 0));
    await stage.close();
  });

  it('counts in the summary exactly the rows it lists, while results keep arriving during the snapshot', async () => {
    const { stage } = stageWith(1000);
    await feed(stage, 100);
    const writing = snapshotFiles(stage);
    // New flagged rows and re-emissions arrive while the snapshot is written (the service goes on
    // consuming during a tick).
    for (let row = 1; row <= 400; row++) {
      await stage.onResults([result('PKH', 'pkh.csv', row, 20, true)]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const files = await writing;
    const summary = JSON.parse(Buffer.from(files['summary.json'] as string, 'base64').toString('utf8'));
    const findings = Buffer.from(files['findings.csv'] as string, 'base64').toString('utf8').trim().split('\n');
    expect(findings.length - 1).toBe(summary.totals.flagged);
    const records = summary.regencies.reduce((n: number, r: { records: number }) => n + r.records, 0);
    expect(records).toBe(summary.totals.clean + summary.totals.flagged);
    await stage.close();
  });

  it('removes its spill folder on close', async () => {
    const { stage, parent } = stageWith(1000);
    await feed(stage, 100);
    expect(readdirSync(parent)).toHaveLength(1);
    await stage.close();
    expect(readdirSync(parent)).toEqual([]);
  });
});
